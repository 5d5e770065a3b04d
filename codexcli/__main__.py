"""Allow ``python -m codexcli``."""

from codexcli.cli import main

if __name__ == "__main__":
    main()
