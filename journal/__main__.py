import sys

from journal.app import main

sys.exit(main())
