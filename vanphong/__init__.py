"""vanphong: an open-source electronic office (văn phòng điện tử) for Vietnamese state agencies."""
