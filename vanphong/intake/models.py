"""Tables of file intake (quarantine, scan and OCR state). The rules are in the modules beside this one."""
