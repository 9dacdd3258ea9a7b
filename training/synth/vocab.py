"""The form's own vocabulary for synthetic filings: codes, names, titles, places (declared data).

Names of people, funds and issuers are made from these word lists, never taken
from the real filings.
"""

from __future__ import annotations

#: every transaction code of the form (General Instructions 8) -> the side it takes; ``AD``: the form's
#: wording names no side, so either is drawn: I ("discretionary transaction ... resulting in acquisition or
#: disposition"), G (a bona fide gift, given or received), J ("other acquisition or disposition"), K (an
#: equity swap), V (voluntarily reported earlier), W ("acquisition or disposition by will"), Z ("deposit
#: into or withdrawal from voting trust")
TRANSACTION_CODES: dict[str, str] = {
    "P": "A", "S": "D", "V": "AD", "A": "A", "D": "D", "F": "D", "I": "AD", "M": "A",
    "C": "A", "E": "D", "H": "D", "O": "A", "X": "A", "G": "AD", "L": "A", "W": "AD",
    "Z": "AD", "J": "AD", "K": "AD", "U": "D",
}
#: codes of a derivative row and its side (an exercise or conversion disposes of the derivative)
DERIVATIVE_CODES: dict[str, str] = {
    "M": "D", "A": "A", "X": "D", "C": "D", "G": "AD", "J": "AD", "D": "D", "F": "D",
    "P": "A", "S": "D", "E": "D", "H": "D", "O": "D", "W": "AD", "Z": "AD", "K": "AD",
    "I": "AD", "L": "A", "V": "AD", "U": "D",
}
MAX_FOOTNOTES = 40
#: codes whose price is usually $0 or absent
ZERO_PRICE_CODES = frozenset("AGMJWZCL")

GIVEN = ("Adaeze", "Björn", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ingrid", "Jamal",
         "Keiko", "Liam", "Mariana", "Nikhil", "Olga", "Pedro", "Quentin", "Rosa", "Sanjay", "Tamsin",
         "Ulrich", "Valentina", "Wen", "Ximena", "Yusuf", "Zofia", "Alexander", "Bartholomew",
         "Christopher", "Mary Ellen", "J. Robert", "Anne-Marie", "Thomas", "Patricia", "Kevin", "Linda")
SURNAMES = ("Abernathy", "Banerjee", "Castellanos", "Dubois", "Eriksen", "Fitzgerald", "Gallagher",
            "Haddad", "Ivanova", "Jaramillo", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura", "Okonkwo",
            "Petrov", "Quintero", "Rasmussen", "Santangelo", "Takahashi", "Underwood", "Van der Berg",
            "Whitfield", "Xu", "Yilmaz", "Zimmermann", "O'Donnell", "McAllister", "De La Cruz",
            "Montgomery-Ashford", "Oyelaran", "Brennan", "Castillo", "Delaney", "Ellsworth", "Fairbanks")
MIDDLE = ("A.", "B.", "C.", "J.", "K.", "M.", "R.", "T.", "W.", "")
SUFFIX = ("", "", "", "", "Jr.", "III", "II", "Sr.")
FIRM_WORDS = ("Arbor", "Beacon", "Cobalt", "Driftwood", "Ember", "Fairway", "Granite", "Halcyon", "Ironwood",
              "Juniper", "Kestrel", "Lodestar", "Meridian", "Northgate", "Obsidian", "Pinecrest", "Quarry",
              "Redwood", "Summit", "Tidewater", "Umber", "Vantage", "Westbrook", "Yarrow", "Zephyr",
              "Bluewater", "Copperline", "Harbor Light", "Silver Fern", "Stonebridge")
FUND_KINDS = ("Capital Partners", "Ventures", "Growth Fund", "Opportunity Fund", "Holdings", "Investors",
              "Capital Management", "Equity Partners", "Strategic Fund", "Master Fund")
FUND_SUFFIX = ("L.P.", "LP", "LLC", "L.L.C.", "Ltd.", "Fund II, L.P.", "Fund IV-A, L.P.", "GP, LLC")
ISSUER_KINDS = ("Inc.", "Corp", "Corporation", "Holdings, Inc.", "Therapeutics, Inc.", "Technologies Inc",
                "Group Ltd", "Bancorp, Inc.", "Pharmaceuticals Inc.", "Energy Partners LP", "plc", "N.V.", "Co.")
ISSUER_WORDS = ("Acme", "Brightline", "Cardinal", "Deltora", "Evergreen", "Fulcrum", "Genexa", "Helio",
                "Innovest", "Jetstream", "Kinetic", "Lumina", "Monarch", "Nexora", "Orbital", "Paragon",
                "Quantia", "Radiant", "Solace", "Trilith", "Unison", "Veritas", "Wavecrest", "Xylo",
                "Yieldstone", "Zenith", "Blue Heron", "Crescent Valley", "Pacific Rim")
STREETS = ("Main Street", "Sand Hill Road", "Market St.", "Avenue of the Americas", "El Camino Real",
           "University Avenue", "Congress Ave", "Peachtree Road NE", "Wacker Drive", "Boylston Street",
           "Lake Shore Blvd", "Industrial Parkway", "Page Mill Road", "Broadway", "Park Avenue")
STREET2 = ("Suite 100", "Suite 2400", "Floor 12", "Building 3", "Apt. 7B", "P.O. Box 1290", "Attn: Legal Dept.",
           "Mail Stop 42", "c/o Corporate Secretary")
PLACES = (("SAN FRANCISCO", "CA", "94105"), ("MENLO PARK", "CA", "94025"), ("NEW YORK", "NY", "10019"),
          ("AUSTIN", "TX", "78701"), ("CHICAGO", "IL", "60606"), ("BOSTON", "MA", "02116"),
          ("ATLANTA", "GA", "30305"), ("SEATTLE", "WA", "98101"), ("WILMINGTON", "DE", "19801"),
          ("GREENWICH", "CT", "06830"), ("MIAMI", "FL", "33131"), ("DENVER", "CO", "80202"),
          ("SALT LAKE CITY", "UT", "84111"), ("FOSTER CITY", "CA", "94404"), ("PALO ALTO", "CA", "94301"),
          ("Scottsdale", "AZ", "85251"), ("Minneapolis", "MN", "55402-1498"), ("WEST PALM BEACH", "FL", "33401"))
OFFICER_TITLES = (
    "CEO", "Chief Executive Officer", "President and CEO", "EVP, General Counsel & Secretary",
    "Executive Vice President, Chief Financial Officer and Treasurer", "chief operating officer",
    "SVP & Chief Accounting Officer", "Chief Technology Officer", "General Counsel", "Co-Founder & CTO",
    "Senior Vice President, Global Sales, Marketing and Customer Success", "VP, Finance", "CFO",
    "Chief People Officer", "Pres., Chief Executive Officer & Chairman", "See Remarks", "EVP & CFO",
    "Executive Chairman", "chief legal officer and corporate secretary", "Principal Accounting Officer",
    "President, North America Operations", "SVP, R&D", "Chief Medical Officer", "Interim CFO",
)
OTHER_TEXTS = ("Member of 10% group", "See Remarks", "Former Director", "Director by deputization",
               "Member of a Section 13(d) group", "See footnote 1", "former officer",
               "Trustee of 10% owner")
NATURE_FORMS = (
    "By Trust", "by Trust", "By Spouse", "by spouse", "See footnote", "See Footnote", "By LLC", "by 401(k) Plan",
    "By {fund}", "by {fund}", "Held by {fund}", "By {family} Family Trust", "By the {family} Revocable Trust dated March 14, 2012",
    "By {fund} and {fund2}", "Through {fund}", "By Children", "By IRA", "by GRAT", "As custodian for minor child",
    "By {family} Family Foundation", "By Partnership", "Footnote",
)
STOCK_TITLES = ("Common Stock", "Class A Common Stock", "Class B Common Stock", "Common Shares",
                "Ordinary Shares", "American Depositary Shares", "Common Stock, par value $0.001 per share",
                "Series A Common Stock", "Class C Capital Stock", "Common Units representing limited partner interests")
DERIVATIVE_TITLES = ("Stock Option (right to buy)", "Restricted Stock Units", "Employee Stock Option (Right to Buy)",
                     "Performance Stock Units", "Series B Convertible Preferred Stock", "Warrants (right to buy)",
                     "Call Option (obligation to sell)", "Put Option (right to sell)", "Class B Common Stock",
                     "Convertible Senior Notes due 2028", "Non-Qualified Stock Option (right to buy)",
                     "LTIP Units", "Restricted Stock Unit", "Phantom Stock")
REMARKS = ("Exhibit 24 - Power of Attorney", "The reporting person disclaims beneficial ownership except to the "
           "extent of his pecuniary interest therein.", "Form 2 of 2", "This Form 4 is being filed in two parts "
           "due to the number of transactions.", "Chief Executive Officer and President",
           "The reporting persons may be deemed members of a group for purposes of Section 13(d).")
#: sentence templates of footnote texts; ``{n}`` numbers, ``{d}`` a date, ``{p}`` prices, ``{f}`` a fund
FOOTNOTE_SENTENCES = (
    "The price reported in Column 4 is a weighted average price.",
    "These shares were sold in multiple transactions at prices ranging from ${p1} to ${p2}, inclusive.",
    "The reporting person undertakes to provide to the issuer, any security holder of the issuer, or the staff "
    "of the Securities and Exchange Commission, upon request, full information regarding the number of shares "
    "sold at each separate price within the ranges set forth in this footnote.",
    "The transaction was effected pursuant to a Rule 10b5-1 trading plan adopted by the reporting person on {d}.",
    "The shares are held by {f}.",
    "The reporting person disclaims beneficial ownership of these securities except to the extent of his or her "
    "pecuniary interest therein, if any.",
    "Each restricted stock unit represents a contingent right to receive one share of the issuer's common stock.",
    "The option vests in {n} equal monthly installments beginning on {d}, subject to continued service.",
    "Represents shares withheld by the issuer to satisfy tax withholding obligations upon vesting.",
    "The option is immediately exercisable.",
    "The restricted stock units vest in four equal annual installments beginning on {d}.",
    "Includes {n} shares acquired under the issuer's Employee Stock Purchase Plan on {d}.",
    "The securities are directly held by {f}, of which the reporting person is a managing member.",
    "This amendment is being filed to correct the number of securities reported in Column 5.",
    "Not applicable.",
    "Each share of Series B Preferred Stock is convertible into common stock at any time at the holder's "
    "election and has no expiration date.",
    "Gift to a charitable organization for no consideration.",
)



#: security titles that carry the par value, as filers write them (``{cls}`` a class, ``{par}`` the par value)
PAR_VALUE_TITLES = (
    "{cls}Common Stock, ${par} par value", "{cls}Common Stock, par value ${par} per share",
    "{cls}Common Stock ($ {par} par value)", "{cls}Common Stock, par value ${par}", "Ordinary Shares, nominal value "
    "${par} per share", "{cls}Common Stock, ${par} Par Value", "{cls}common stock, par value ${par} per share",
)
PAR_CLASSES = ("", "", "Class A ", "Class B ", "Series A ")
PAR_VALUES = ("0.001", "0.0001", "0.01", "0.00001", "1.00", "0.10", "0.000001", ".01")
#: places outside the US as EDGAR's address lines hold them: a district in the city line, EDGAR's
#: two-character state/country codes (a letter and a digit), letter postcodes, or none
FOREIGN_PLACES = (
    ("LONDON", "X0", "EC2V 7HR"), ("CAMBRIDGE", "X0", "CB2 1TN"), ("CENTRAL, HONG KONG", "K3", None),
    ("WAN CHAI, HONG KONG", "K3", None), ("TEL AVIV", "L3", "6701101"), ("HERZLIYA PITUACH", "L3", "4672516"),
    ("VANCOUVER", "A1", "V5Y 0A1"), ("TORONTO", "A6", "M5H 2Y4"), ("MONTREAL, QUEBEC", "A8", "H3B 4W8"),
    ("DUBLIN 2", "L2", "D02 X576"), ("SINGAPORE", "U0", "018989"), ("MINATO-KU, TOKYO", "M0", "105-6490"),
    ("PUDONG, SHANGHAI", "F4", "200120"), ("ZUG", "V8", "6300"), ("AMSTERDAM", "P7", "1082 MS"),
    ("GEORGE TOWN, GRAND CAYMAN", "E9", "KY1-1104"), ("HAMILTON", "D0", "HM 11"), ("MUNICH", "2M", "80333"),
)
#: how an entity signs: its name, then who signs for it (``{entity}``, ``{person}``, ``{gp}``)
ENTITY_SIGNATURES = (
    "{entity}, By: /s/ {person}, Managing Member", "{entity}, By: /s/ {person}, Authorized Signatory",
    "{entity}, By: {gp}, its General Partner, By: /s/ {person}, Managing Member",
    "{entity}, By: /s/ {person}, Trustee", "{entity}, By: /s/ {person}, Chief Financial Officer",
    "{entity}, By: /s/ {person}, as Attorney-in-Fact",
)
