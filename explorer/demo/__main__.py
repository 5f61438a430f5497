"""`python -m explorer.demo [TARGET]`: regenerate the bundled demo recordings (or write them to TARGET)."""

from explorer.demo.build import main

raise SystemExit(main())
