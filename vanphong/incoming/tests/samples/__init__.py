from pathlib import Path

SAMPLE_PDF = Path(__file__).parent / "cong-van-2491-STC.pdf"
