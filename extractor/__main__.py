import sys


def main() -> None:
    """``python -m form4``: the CLI; an interrupt, even while it starts, is a line, not a traceback."""
    try:
        from .cli import app

        app(prog_name="form4")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)


if __name__ == "__main__":
    main()
