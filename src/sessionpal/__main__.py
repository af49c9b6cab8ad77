import sys

from sessionpal.cli import main

sys.exit(main())
