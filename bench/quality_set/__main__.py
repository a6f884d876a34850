"""``python -m bench.quality_set``: write or check the quality set."""

from bench.quality_set.generate import main

raise SystemExit(main())
