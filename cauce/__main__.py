import sys

from cauce.cli import main

sys.exit(main())
