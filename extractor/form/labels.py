"""The printed labels of a Form 4 and their wordings, declared once.

``WORDINGS`` maps a label's key to the wordings pages print for it, the canonical one first:
the wording of EDGAR's rendering of the ownership XML, which is also the SEC's paper form's
except where a later wording follows. The variants are what the SEC's paper form (SEC 1474),
other EDGAR renderings and filing agents print. A few wordings carry the inline emphasis a
rendering prints (``<b>and</b>``, ``<i>See</i>``): :func:`plain` drops it.

Everything that prints or finds a label reads it here: the readers (which compile their
tolerant patterns from :func:`words` once), the page renderer and styles, the noise
transforms, the corpus aligner and the calibrator's vocabulary.

>>> WORDINGS["table1"][0]
'Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned'
>>> words("name")
('Name', 'and', 'Address', 'of', 'Reporting', 'Person')
"""

from __future__ import annotations

import re

WORDINGS: dict[str, tuple[str, ...]] = {
    # ---------------------------------------------------------------- the page's top
    "form": ("FORM 4",),
    "sec_form": ("SEC Form 4",),
    "continued": ("FORM 4 (continued)",),
    "commission": ("UNITED STATES SECURITIES AND EXCHANGE COMMISSION",),
    "washington": ("Washington, D.C. 20549",),
    "statement": ("STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP", "STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP OF SECURITIES"),
    "pursuant": (
        "Filed pursuant to Section 16(a) of the Securities Exchange Act of 1934 or Section 30(h) of the Investment Company Act of 1940",
        "Filed pursuant to Section 16(a) of the Securities Exchange Act of 1934, Section 17(a) of the Public Utility "
        "Holding Company Act of 1935 or Section 30(h) of the Investment Company Act of 1940",
    ),
    "not_subject": (
        "Check this box if no longer subject to Section 16. Form 4 or Form 5 obligations may continue. <i>See</i> Instruction 1(b).",
        "Check this box if no longer subject to Section 16. Form 4 or Form 5 obligations may continue.",
    ),
    "aff10b5": (
        "Check this box to indicate that a transaction was made pursuant to a contract, instruction or written plan "
        "for the purchase or sale of equity securities of the issuer that is intended to satisfy the affirmative "
        "defense conditions of Rule 10b5-1(c). See Instruction 10.",
        "Check this box to indicate that a transaction was made pursuant to a contract, instruction or written plan "
        "that is intended to satisfy the affirmative defense conditions of Rule 10b5-1(c). <i>See</i> Instruction 10.",
        "This transaction was made pursuant to a contract, instruction or written plan intended to satisfy the "
        "affirmative defense conditions of Rule 10b5-1(c).",
    ),
    "print_or_type": ("(Print or Type Responses)",),
    "omb": ("OMB APPROVAL",),
    "omb_number": ("OMB Number: 3235-0287",),
    "omb_expires": ("Expires: August 31, 2026", "Expires: January 31, 2005", "Expires: February 28, 2011",
                    "Expires: December 31, 2014", "Expires: November 30, 2011", "Expires: January 31, 2008"),
    "omb_burden": ("Estimated average burden hours per response: 0.5", "Estimated average burden hours per response . . . 0.5"),
    "sec_1474": ("SEC 1474 (03-26)", "SEC 1474 (9-02)", "SEC 1474 (11-11)", "SEC 1474 (01-23)", "SEC 1474 (3-99)"),
    # ---------------------------------------------------------------- the header boxes
    "name": ("1. Name and Address of Reporting Person*", "1. Name and Address of Reporting Person *",
             "1. Name and Address of Reporting Person(s)*"),
    "last": ("(Last)",),
    "first": ("(First)",),
    "middle": ("(Middle)",),
    "street": ("(Street)",),
    "city": ("(City)",),
    "state": ("(State)",),
    "zip": ("(Zip)", "(Zip/Postal Code)"),
    "country": ("(Country)",),
    "issuer": ("2. Issuer Name and Ticker or Trading Symbol", "2. Issuer Name <b>and</b> Ticker or Trading Symbol"),
    "foreign_symbol": ("2a. Foreign Trading Symbol",),
    "period": ("3. Date of Earliest Transaction (Month/Day/Year)",
               "3. Date of Earliest Transaction Required to be Reported (Month/Day/Year)",
               "3. Date of Earliest Transaction (MM/DD/YYYY)"),
    "amendment": ("4. If Amendment, Date of Original Filed (Month/Day/Year)",
                  "4. If Amendment, Date Original Filed (Month/Day/Year)",
                  "4. If Amendment, Date of Original Filing (MM/DD/YYYY)"),
    "relationship": ("5. Relationship of Reporting Person(s) to Issuer",
                     "5. Relationship of Reporting Person(s) to Issuer (Check all applicable)"),
    "check_all": ("(Check all applicable)",),
    "director": ("Director",),
    "officer": ("Officer (give title below)", "Officer (give title below):", "Officer (specify title below)"),
    "ten": ("10% Owner", "10 % Owner", "Ten Percent Owner"),
    "other": ("Other (specify below)", "Other (specify below):"),
    "joint": ("6. Individual or Joint/Group Filing (Check Applicable Line)",
              "6. Individual or Joint/Group Filing (check applicable line)"),
    "one": ("Form filed by One Reporting Person",),
    "more": ("Form filed by More than One Reporting Person", "Form filed by More Than One Reporting Person"),
    # ---------------------------------------------------------------- Table I
    "table1": ("Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned",
               "Table I \u2014 Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned",
               "TABLE I -- NON-DERIVATIVE SECURITIES ACQUIRED, DISPOSED OF, OR BENEFICIALLY OWNED"),
    "t1_title": ("1. Title of Security (Instr. 3)", "Title of Security"),
    "t1_date": ("2. Transaction Date (Month/Day/Year)", "Transaction Date"),
    "t1_deemed": ("2A. Deemed Execution Date, if any (Month/Day/Year)", "Deemed Execution Date"),
    "t1_code": ("3. Transaction Code (Instr. 8)",),
    "t1_amount": ("4. Securities Acquired (A) or Disposed Of (D) (Instr. 3, 4 and 5)",
                  "4. Securities Acquired (A) or Disposed of (D) (Instr. 3, 4 and 5)"),
    "t1_owned": ("5. Amount of Securities Beneficially Owned Following Reported Transaction(s) (Instr. 3 and 4)",
                 "Amount Owned Following Reported Transaction(s)"),
    "t1_form": ("6. Ownership Form: Direct (D) or Indirect (I) (Instr. 4)", "Ownership Form (D/I)"),
    "t1_nature": ("7. Nature of Indirect Beneficial Ownership (Instr. 4)", "Nature of Indirect Beneficial Ownership"),
    "code": ("Code",),
    "v": ("V",),
    "amount": ("Amount",),
    "a_or_d": ("(A) or (D)",),
    "price": ("Price",),
    "reminder": ("Reminder: Report on a separate line for each class of securities beneficially owned directly or indirectly.",),
    # ---------------------------------------------------------------- Table II
    "table2": ("Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned",
               "Table II \u2014 Derivative Securities Acquired, Disposed of, or Beneficially Owned",
               "TABLE II -- DERIVATIVE SECURITIES ACQUIRED, DISPOSED OF, OR BENEFICIALLY OWNED"),
    "table2_sub": ("(e.g., puts, calls, warrants, options, convertible securities)",
                   "(<i>e.g.</i>, puts, calls, warrants, options, convertible securities)"),
    "t2_title": ("1. Title of Derivative Security (Instr. 3)", "Title of Derivative Security"),
    "t2_conversion": ("2. Conversion or Exercise Price of Derivative Security", "Conversion or Exercise Price"),
    "t2_date": ("3. Transaction Date (Month/Day/Year)",),
    "t2_deemed": ("3A. Deemed Execution Date, if any (Month/Day/Year)",),
    "t2_code": ("4. Transaction Code (Instr. 8)",),
    "t2_number": ("5. Number of Derivative Securities Acquired (A) or Disposed of (D) (Instr. 3, 4 and 5)",
                  "5. Number of Derivative Securities Acquired (A) or Disposed of (D) (Instr. 3, 4, and 5)",
                  "Number of Derivative Securities Acquired (A) or Disposed of (D)"),
    "t2_dates": ("6. Date Exercisable and Expiration Date (Month/Day/Year)",),
    "t2_underlying": ("7. Title and Amount of Securities Underlying Derivative Security (Instr. 3 and 4)",
                      "7. Title and Amount of Underlying Securities (Instr. 3 and 4)",
                      "Title and Amount of Underlying Securities"),
    "t2_price": ("8. Price of Derivative Security (Instr. 5)", "Price of Derivative Security"),
    "t2_owned": ("9. Number of derivative Securities Beneficially Owned Following Reported Transaction(s) (Instr. 4)",
                 "9. Number of Derivative Securities Beneficially Owned following Reported Transactions (Instr. 4)",
                 "Number Owned Following Reported Transaction(s)"),
    "t2_form": ("10. Ownership Form: Direct (D) or Indirect (I) (Instr. 4)",
                "10. Ownership Form of Derivative Security: Direct (D) or Indirect (I) (Instr. 4)"),
    "t2_nature": ("11. Nature of Indirect Beneficial Ownership (Instr. 4)",),
    "acquired": ("(A)",),
    "disposed": ("(D)",),
    "exercisable": ("Date Exercisable",),
    "expiration": ("Expiration Date",),
    "title": ("Title",),
    "shares": ("Amount or Number of Shares",),
    # ---------------------------------------------------------------- the page's foot
    "explanation": ("Explanation of Responses:", "Explanation of Responses"),
    "remarks": ("Remarks:",),
    "signature": ("** Signature of Reporting Person", "**Signature of Reporting Person"),
    "date": ("Date",),
    "joint_note": ("* If the form is filed by more than one reporting person, <i>see</i> Instruction 4 (b)(v).",
                   "* If the form is filed by more than one reporting person, <i>see</i> Instruction 4(b)(v)."),
    "misstatements": ("** Intentional misstatements or omissions of facts constitute Federal Criminal Violations "
                      "<i>See</i> 18 U.S.C. 1001 and 15 U.S.C. 78ff(a).",
                      "** Intentional misstatements or omissions of facts constitute Federal Criminal Violations. "
                      "<i>See</i> 18 U.S.C. 1001 and 15 U.S.C. 78ff(a)."),
    "copies": ("Note: File three copies of this Form, one of which must be manually signed. If space is "
               "insufficient, <i>see</i> Instruction 6 for procedure.",),
    "respond": ("Persons who respond to the collection of information contained in this form are not required to "
                "respond unless the form displays a currently valid OMB Number.",
                "Potential persons who are to respond to the collection of information contained in this form are "
                "not required to respond unless the form displays a currently valid OMB Number.",
                "Potential persons who are to respond to the collection of information contained in this Form are "
                "not required to respond unless the Form displays a currently valid OMB control number."),
}

#: The labels the tables' heads print: Table I's, then Table II's.
TABLE_HEADS = (
    "table1", "t1_title", "t1_date", "t1_deemed", "t1_code", "t1_amount", "t1_owned", "t1_form", "t1_nature",
    "code", "v", "amount", "a_or_d", "price",
    "table2", "table2_sub", "t2_title", "t2_conversion", "t2_date", "t2_deemed", "t2_code", "t2_number", "t2_dates",
    "t2_underlying", "t2_price", "t2_owned", "t2_form", "t2_nature",
    "acquired", "disposed", "exercisable", "expiration", "title", "shares",
)
#: Labels only the SEC's paper form prints (EDGAR's page leaves them out).
PAPER_ONLY = frozenset({"continued", "print_or_type", "omb_expires", "sec_1474", "country", "foreign_symbol"})
#: The form's notes: whole sentences printed under the tables and by the signature, no field's label.
NOTES = frozenset({"reminder", "joint_note", "misstatements", "copies", "respond"})

#: The box or column number a wording starts with: "1. ", "2A. ", "10. ".
_NUMBER = re.compile(r"^\d{1,2}[A-Za-z]?\.\s+")
_TAG = re.compile(r"<[^<>]*>")
_WORD = re.compile(r"[A-Za-z0-9%]+")


def words(key: str, variant: int = 0) -> tuple[str, ...]:
    """The words of a label's wording: no box number, markup or punctuation (a hyphen or a slash
    parts words, as converters and OCR often do).

    >>> words("table1")[:4], words("t1_deemed")[:3], words("issuer", 1)[:3]
    (('Table', 'I', 'Non', 'Derivative'), ('Deemed', 'Execution', 'Date'), ('Issuer', 'Name', 'and'))
    """
    return tuple(_WORD.findall(_TAG.sub("", _NUMBER.sub("", WORDINGS[key][variant]))))


def run(key: str, first: str, n: int) -> tuple[str, ...]:
    """``n`` words of a label's canonical wording, from the word ``first`` on.

    >>> run("not_subject", "Section", 2)
    ('Section', '16')
    """
    ws = words(key)
    return ws[ws.index(first) : ws.index(first) + n]


def plain(wording: str) -> str:
    """A wording without its inline markup.

    >>> plain("2. Issuer Name <b>and</b> Ticker or Trading Symbol")
    '2. Issuer Name and Ticker or Trading Symbol'
    """
    return _TAG.sub("", wording)
