"""The entities benchmark in one run: NER on every held-out test split (with the plain CRF
baseline trained alongside), tagging speed, then linking on the IndEL gold and in-document
resolution on the coreference gold.

    python bench/entities.py [--quick] [--ablation]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import linking  # noqa: E402
import ner  # noqa: E402


def main() -> int:
    status = ner.main(sys.argv[1:])
    print()
    sys.argv = sys.argv[:1]
    linking.main()
    return status


if __name__ == "__main__":
    sys.exit(main())
