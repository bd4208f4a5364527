"""The edXML codec on the VPCP samples, on packages it builds itself, and on hostile or broken files."""

import base64
import os
from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import etree

from vanphong.exchange import edxml
from vanphong.exchange.edxml import (
    NS,
    Attachment,
    Business,
    BusinessType,
    DocumentPackage,
    InvalidPackage,
    Limits,
    Organ,
    ResponseFor,
    Staff,
    StatusPackage,
    Trace,
)

# The real packages of the domain reference (shared/spec/samples/edxml), copied beside the tests (samples/README.md).
SAMPLES = Path(__file__).resolve().parent / "samples"
MESSAGE = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader"
BIG = os.urandom(2 * 2**20)  # an incompressible 2 MB appendix, the same in every package of the run


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def a_document(**changes) -> DocumentPackage:
    fields = dict(
        sender=Organ(
            code="000.00.11.H41",
            name="Sở Tài chính",
            in_charge="UBND tỉnh Nghệ An",
            address="Số 3 đường Trường Thi, TP Vinh",
            email="stc@nghean.gov.vn",
            phone="0238 3844 448",
        ),
        recipients=[
            Organ(code="000.00.00.G22", name="Văn phòng Chính phủ"),
            Organ(code="99.99.99.G21", name="Ủy ban Dân tộc và Tôn giáo"),
        ],
        document_id=edxml.document_id("000.00.11.H41", date(2026, 3, 2), "125", "STC-NS"),
        number="125",
        notation="STC-NS",
        place="Nghệ An",
        promulgation_date=date(2026, 3, 2),
        type=1,
        type_detail=0,
        type_name="Công văn",
        subject="V/v quyết toán ngân sách năm 2025 & kế hoạch <2026>",
        content="Báo cáo quyết toán",
        signer_competence="KT. GIÁM ĐỐC",
        signer_position="Phó Giám đốc",
        signer_name="Nguyễn Văn An",
        due_date=date(2026, 3, 20),
        priority=1,
        sphere="Liên thông văn bản quốc gia",
        typer_notation="NVA",
        promulgation_amount=3,
        page_amount=12,
        direction=False,
        appendixes=["Phụ lục I: Bảng số liệu"],
        steering_type=2,
        to_places=["Như trên;", "Lưu: VT, NS."],
        response_for=[
            ResponseFor(
                organ_code="000.00.00.G22",
                code="7816/VPCP-TTĐT",
                promulgation_date=date(2026, 2, 1),
                document_id="000.00.00.G22,2026/02/01,7816/VPCP-TTĐT",
            )
        ],
        traces=[Trace(organ_code="000.00.11.H41", timestamp=datetime(2026, 3, 2, 14, 5, 9))],
        business=Business(
            doc_type=BusinessType.REPLACE,
            reason="Thay thế văn bản",
            paper=True,
            document_id="000.00.11.H41,2026/03/01,120/STC-NS",
            staff=Staff(department="Văn thư", name="Trần Thị Bình", mobile="0912000001", email="vt@nghean.gov.vn"),
            document_info_changed=True,
            receivers_changed=False,
            receivers=[("000.00.00.H41", 0), ("000.00.00.H14", 1)],
            replacements=[("000.00.11.H41,2026/03/01,120/STC-NS", ["000.00.00.G22", "99.99.99.G21"])],
        ),
        attachments=[
            Attachment(
                content_id="1",
                name="125_STC-NS.pdf",
                content_type="application/pdf",
                data=b"%PDF-1.7 signed letter",
                description="Văn bản chính",
            ),
            Attachment(
                content_id="2",
                name="phu-luc.zip",
                content_type="application/zip",
                data=BIG,
                description="Phụ lục",
            ),
        ],
    )
    fields.update(changes)
    return DocumentPackage(**fields)


def a_status(**changes) -> StatusPackage:
    fields = dict(
        sender=Organ(code="000.00.00.H41", name="UBND Tỉnh Nghệ An"),
        response_for=ResponseFor(
            organ_code="000.00.00.G22",
            code="7816/VPCP-TTĐT",
            promulgation_date=date(2026, 2, 1),
            document_id="000.00.00.G22,2026/02/01,7816/VPCP-TTĐT",
        ),
        status_code="03",
        description="Đã tiếp nhận văn bản",
        timestamp=datetime(2026, 2, 2, 9, 30, 0),
        staff=Staff(department="Văn thư", name="Lê Thị Cúc"),
    )
    fields.update(changes)
    return StatusPackage(**fields)


def problems_of(data: bytes, **kwargs) -> list[edxml.Problem]:
    with pytest.raises(InvalidPackage) as caught:
        edxml.parse(data, **kwargs)
    return caught.value.problems


# ------------------------------------------------------------------------------------------------ the VPCP samples


def test_new_document_sample():
    package = edxml.parse(sample("edoc_new.edxml"))
    assert isinstance(package, DocumentPackage)
    assert package.sender.code == "000.00.11.H53"
    assert package.sender.name == "Sở Tính"
    assert package.sender.address == ""  # <edXML:OrganAdd/> means absent
    assert [r.code for r in package.recipients] == ["000.00.01.A53"]
    assert package.document_id == "000.00.11.H53,2020/10/30,2491/STC-BCTC"
    assert (package.number, package.notation) == ("2491", "STC-BCTC")
    assert package.promulgation_date == date(2020, 10, 30)  # written 30/10/2020 in the sample
    assert package.type_name == "Công văn"
    assert package.subject == "Báo cáo tài chính tỉnh"
    assert package.priority == 0
    assert package.steering_type == 1
    assert package.to_places == ["Cac bo va co quan ngang bo", "Uy ban nhan dan cac tinh, TP"]
    assert package.due_date is None and package.signer_name == ""
    assert package.traces == [Trace(organ_code="000.00.00.G22", timestamp=datetime(2018, 9, 28))]
    assert package.business.doc_type is BusinessType.NEW
    assert package.business.staff.name == "Nguyễn Thị Ngọc Trâm"
    [attachment] = package.attachments
    assert attachment.content_id == "209"
    assert attachment.name == "1896_QD-TTg_m_294779.doc"
    assert attachment.content_type == "application/zip"
    assert attachment.data.startswith(b"PK")


def test_update_sample():
    package = edxml.parse(sample("edoc_update.edxml"))
    assert package.business.doc_type is BusinessType.UPDATE
    assert package.business.document_info_changed is True
    assert package.business.receivers_changed is True
    assert package.business.receivers == [("000.00.00.H41", 0), ("000.00.00.H14", 1)]
    assert len(package.recipients) == 3
    assert package.signer_competence == "TL. BO TRUONG"


def test_status_sample():
    package = edxml.parse(sample("status_processing_05.edxml"))
    assert isinstance(package, StatusPackage)
    assert package.status_code == "05"
    assert package.sender.code == "000.00.00.H41"
    assert package.response_for == ResponseFor(
        organ_code="000.00.00.G22",
        code="7816/VPCP-TTĐT",
        promulgation_date=date(2015, 9, 30),
        document_id="000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
    )
    assert package.staff == Staff(
        department="Phong hanh chinh", name="Nguyen thi ngoc tram", mobile="84912000001", email="ngoctram@nghean.vn"
    )
    assert package.timestamp == datetime(2015, 9, 20, 11, 8, 36)
    assert package.description == "Đang xử lý văn bản đến"


def test_samples_are_valid_and_the_status_summary_is_in_vietnamese():
    for name in ("edoc_new.edxml", "edoc_update.edxml", "status_processing_05.edxml"):
        assert edxml.validate(sample(name)) == []
    text = edxml.summary(edxml.parse(sample("status_processing_05.edxml")))
    assert "05 – Đang xử lý" in text
    assert "000.00.00.H41" in text


def test_document_summary_names_sender_subject_and_attachments():
    text = edxml.summary(edxml.parse(sample("edoc_new.edxml")))
    assert "Nơi gửi: 000.00.11.H53" in text
    assert "Trích yếu: Báo cáo tài chính tỉnh" in text
    assert "2491/STC-BCTC" in text
    assert "30/10/2020" in text
    assert "Văn bản mới" in text
    assert "1896_QD-TTg_m_294779.doc (application/zip" in text


# ------------------------------------------------------------------------------------------------------ round trip


def test_document_round_trip_with_two_attachments():
    package = a_document()
    data = edxml.build(package)
    assert edxml.parse(data) == package
    assert edxml.validate(data) == []


def test_status_round_trip():
    package = a_status()
    assert edxml.parse(edxml.build(package)) == package


def test_minimal_document_round_trip():
    package = DocumentPackage(
        sender=Organ(code="000.00.11.H41"),
        recipients=[Organ(code="000.00.00.G22")],
        document_id="000.00.11.H41,2026/03/02,1/STC",
        number="1",
        notation="STC",
        promulgation_date=date(2026, 3, 2),
        subject="Thông báo",
    )
    assert edxml.parse(edxml.build(package)) == package


def test_output_prefixes_every_element_as_the_vpcp_axis_requires():
    data = edxml.build(a_document())
    assert b"<edXML:MessageHeader>" in data
    assert b"<edXML:edXMLEnvelope>" in data
    assert b"<edXML:Bussiness>" in data
    assert b"<edXML:ContentId>cid:1</edXML:ContentId>" in data  # the manifest reference
    root = etree.fromstring(data, etree.XMLParser(huge_tree=True))
    assert root.tag == f"{{{NS}}}edXML"
    envelope = root.find(f"{{{NS}}}edXMLEnvelope")
    for element in envelope.iter():
        assert element.prefix == "edXML", element.tag
    encoded = root.find(f"{{{NS}}}AttachmentEncoded")
    assert encoded is not None and encoded.prefix is None  # outside the envelope, as in the VPCP sample
    attachment = encoded.find(f"{{{NS}}}Attachment")
    assert attachment.find(f"{{{NS}}}ContentId").prefix is None
    assert attachment.find(f"{{{NS}}}ContentTransferEncoded").prefix == "edXML"


def test_output_writes_dates_and_header_in_the_standard_order():
    data = edxml.build(a_document())
    assert b"<edXML:PromulgationDate>2026/03/02</edXML:PromulgationDate>" in data
    assert b"<edXML:Timestamp>2026/03/02 14:05:09</edXML:Timestamp>" in data
    root = etree.fromstring(data, etree.XMLParser(huge_tree=True))
    header = root.find(f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader/{{{NS}}}MessageHeader")
    order = list(dict.fromkeys(etree.QName(child).localname for child in header))
    assert order == [
        "From",
        "To",
        "Code",
        "PromulgationInfo",
        "DocumentType",
        "Subject",
        "Content",
        "SignerInfo",
        "DueDate",
        "ToPlaces",
        "OtherInfo",
        "ResponseFor",
        "SteeringType",
        "DocumentId",
    ]
    status = etree.fromstring(edxml.build(a_status()))
    status_header = status.find(f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader/{{{NS}}}MessageHeader")
    assert [etree.QName(c).localname for c in status_header] == [
        "From",
        "ResponseFor",
        "StaffInfo",
        "StatusCode",
        "Description",
        "Timestamp",
    ]


def test_document_id_format():
    assert edxml.document_id("000.00.00.G22", date(2015, 9, 30), "7816", "VPCP-TTĐT") == (
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    )


# ------------------------------------------------------------------------------------------- tolerant reading


def test_reads_unprefixed_reordered_packages_with_other_date_formats():
    data = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}">
  <edXMLEnvelope>
    <edXMLHeader>
      <MessageHeader>
        <DocumentId>  000.00.11.H41,2026/03/02,7/STC  </DocumentId>
        <Subject>Giấy mời họp</Subject>
        <To><OrganId>000.00.00.G22</OrganId></To>
        <PromulgationInfo><PromulgationDate>2026-03-02</PromulgationDate></PromulgationInfo>
        <Code><CodeNotation>STC</CodeNotation><CodeNumber>7</CodeNumber></Code>
        <From><OrganId>000.00.11.H41</OrganId><Unknown>ignored</Unknown></From>
        <DueDate>15/03/2026</DueDate>
        <SomethingNew>ignored</SomethingNew>
      </MessageHeader>
      <TraceHeaderList>
        <Bussiness><BussinessDocType>1</BussinessDocType></Bussiness>
        <TraceHeader><OrganId>000.00.11.H41</OrganId><Timestamp>2026/03/02 08:00:00</Timestamp></TraceHeader>
      </TraceHeaderList>
    </edXMLHeader>
  </edXMLEnvelope>
</edXML>""".encode()
    package = edxml.parse(data)
    assert package.document_id == "000.00.11.H41,2026/03/02,7/STC"
    assert package.promulgation_date == date(2026, 3, 2)
    assert package.due_date == date(2026, 3, 15)
    assert package.business.doc_type is BusinessType.RECALL
    assert package.traces[0].timestamp == datetime(2026, 3, 2, 8)


def test_document_id_may_come_from_bussiness_only():
    data = edxml.build(a_document(document_id="")).replace(b"<edXML:DocumentId/>", b"")
    assert edxml.parse(data).document_id == "000.00.11.H41,2026/03/01,120/STC-NS"


def test_line_wrapped_base64_is_accepted():
    package = a_document()
    encoded = base64.b64encode(package.attachments[0].data)
    data = edxml.build(package).replace(encoded, b"\n".join(encoded[i : i + 8] for i in range(0, len(encoded), 8)))
    assert edxml.parse(data).attachments[0].data == package.attachments[0].data


# ------------------------------------------------------------------------------------------------------ malformed


def test_broken_xml_is_one_problem_with_its_line():
    data = b'<?xml version="1.0"?>\n<edXML>\n  <edXMLEnvelope>\n</edXML>\n'
    [problem] = problems_of(data)
    assert "dòng 4" in problem.message
    assert "XML" in problem.message


def test_billion_laughs_is_refused_without_expansion():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol9;</edXML>"""
    [problem] = problems_of(data)
    assert "DOCTYPE" in problem.message
    assert "lol" not in str(problem)


def test_external_entity_is_refused_and_the_file_never_read():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader><MessageHeader>
<From><OrganId>&e;</OrganId></From></MessageHeader></edXMLHeader></edXMLEnvelope></edXML>"""
    problems = problems_of(data)
    assert len(problems) == 1
    assert "root:" not in str(problems) and "/bin/" not in str(problems)
    # not even the signature checker reads it
    assert edxml.validate(data, trust_roots=[]) == problems


def test_doctype_after_a_comment_is_refused():
    data = b'<?xml version="1.0"?><!-- hello --> <!DOCTYPE edXML SYSTEM "http://example.invalid/x.dtd"><edXML/>'
    assert "DOCTYPE" in problems_of(data)[0].message


def test_oversized_package_and_attachment():
    data = edxml.build(a_document())
    [problem] = problems_of(data, limits=Limits(max_bytes=2**20))
    assert "lớn hơn giới hạn" in problem.message
    problems = problems_of(data, limits=Limits(max_attachment_bytes=2**20))
    assert [p.path for p in problems] == ["/edXML/AttachmentEncoded/Attachment[2]/ContentTransferEncoded"]
    assert "phu-luc.zip" in problems[0].message


def test_too_deep_and_too_many_elements():
    deep = f'<edXML xmlns="{NS}">'.encode() + b"<a>" * 50 + b"</a>" * 50 + b"</edXML>"
    [problem] = problems_of(deep)
    assert "40" in problem.message
    assert problems_of(edxml.build(a_status()), limits=Limits(max_elements=10))[0].message.endswith("10 thành phần")


def test_too_many_attachments():
    attachments = [
        Attachment(content_id=str(i), name=f"{i}.txt", content_type="text/plain", data=b"x") for i in range(4)
    ]
    [problem] = problems_of(edxml.build(a_document(attachments=attachments)), limits=Limits(max_attachments=3))
    assert problem.path == "/edXML/AttachmentEncoded"
    assert "4" in problem.message and "3" in problem.message


def test_every_missing_required_element_is_reported_at_once():
    data = f"""<edXML xmlns:edXML="{NS}"><edXML:edXMLEnvelope><edXML:edXMLHeader><edXML:MessageHeader>
    <edXML:From><edXML:OrganName>Sở Tài chính</edXML:OrganName></edXML:From>
    <edXML:Subject>   </edXML:Subject>
    <edXML:OtherInfo><edXML:Priority>7</edXML:Priority></edXML:OtherInfo>
    </edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>""".encode()
    problems = problems_of(data)
    paths = [p.path for p in problems]
    assert paths == [
        f"{MESSAGE}/From/OrganId",
        f"{MESSAGE}/To/OrganId",
        f"{MESSAGE}/Code/CodeNumber",
        f"{MESSAGE}/Code/CodeNotation",
        f"{MESSAGE}/PromulgationInfo/PromulgationDate",
        f"{MESSAGE}/Subject",
        f"{MESSAGE}/OtherInfo/Priority",
        f"{MESSAGE}/DocumentId",
    ]
    assert problems[0].message == "Thiếu thành phần bắt buộc From/OrganId"
    assert "Độ khẩn" in problems[6].message
    assert "Thiếu thành phần bắt buộc Subject" in str(InvalidPackage(problems))


def test_invalid_date_is_a_problem():
    data = edxml.build(a_document()).replace(
        b"2026/03/02</edXML:PromulgationDate>", b"31/02/2026</edXML:Prom" + b"ulgationDate>"
    )
    [problem] = problems_of(data)
    assert problem.path == f"{MESSAGE}/PromulgationInfo/PromulgationDate"
    assert "31/02/2026" in problem.message


def test_bad_base64_is_a_problem():
    package = a_document()
    data = edxml.build(package).replace(base64.b64encode(package.attachments[0].data), b"!!not base64!!")
    [problem] = problems_of(data)
    assert problem.path == "/edXML/AttachmentEncoded/Attachment[1]/ContentTransferEncoded"
    assert "125_STC-NS.pdf" in problem.message


def test_attachment_and_manifest_must_match():
    data = edxml.build(a_document()).replace(b"<ContentId>cid:2</ContentId>", b"<ContentId>cid:9</ContentId>")
    problems = problems_of(data)
    assert {p.path for p in problems} == {
        "/edXML/AttachmentEncoded/Attachment[2]/ContentId",
        "/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference[2]/ContentId",
    }
    assert any("không có trong danh mục" in p.message for p in problems)


def test_duplicate_recipient_is_a_problem():
    twice = [Organ(code="000.00.00.G22"), Organ(code="000.00.00.G22")]
    [problem] = problems_of(edxml.build(a_document(recipients=twice)))
    assert problem.path == f"{MESSAGE}/To[2]/OrganId"
    assert "000.00.00.G22" in problem.message


def test_long_organ_code_is_a_problem_but_unusual_codes_are_not():
    assert edxml.parse(edxml.build(a_document())).recipients[1].code == "99.99.99.G21"
    [problem] = problems_of(edxml.build(a_document(sender=Organ(code="X" * 36))))
    assert problem.path == f"{MESSAGE}/From/OrganId"


def test_status_with_unknown_code_and_missing_reference():
    data = edxml.build(a_status(status_code="07", response_for=ResponseFor(organ_code="000.00.00.G22")))
    problems = problems_of(data)
    assert [p.path for p in problems] == [f"{MESSAGE}/ResponseFor/DocumentId", f"{MESSAGE}/StatusCode"]
    assert "07" in problems[1].message


def test_not_an_edxml_file():
    [problem] = problems_of(b"<html><body>hello</body></html>")
    assert "edXML" in problem.message


def test_limits_from_settings(settings):
    settings.VANPHONG_EDXML_LIMITS = {"max_attachments": 2}
    assert Limits.from_settings() == Limits(max_attachments=2)
    del settings.VANPHONG_EDXML_LIMITS
    assert Limits.from_settings() == Limits()
