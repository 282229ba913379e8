using TicketHub.Intake.Attachments;
using TicketHub.Intake.Tests.Support;

namespace TicketHub.Intake.Tests;

public class AttachmentContentTests
{
    public static IEnumerable<TestCaseData> Recognised()
    {
        yield return new TestCaseData(SampleFiles.Png, "image/png").SetName("A_PNG_is_recognised_by_its_signature");
        yield return new TestCaseData(SampleFiles.Jpeg, "image/jpeg").SetName("A_JPEG_is_recognised_by_its_signature");
        yield return new TestCaseData(SampleFiles.Gif, "image/gif").SetName("A_GIF_is_recognised_by_its_signature");
        yield return new TestCaseData(SampleFiles.WebP, "image/webp").SetName("A_WebP_is_recognised_by_its_RIFF_header");
        yield return new TestCaseData(SampleFiles.Pdf, "application/pdf").SetName("A_PDF_is_recognised_by_its_header");
        yield return new TestCaseData(SampleFiles.Text, "text/plain; charset=utf-8").SetName("UTF8_text_is_plain_text");
        yield return new TestCaseData((byte[])[0xEF, 0xBB, 0xBF, .. "Bonjour"u8], "text/plain; charset=utf-8").SetName("UTF8_text_with_a_BOM_is_plain_text");
        yield return new TestCaseData(SampleFiles.Docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document").SetName("A_Word_document_is_recognised_by_its_parts");
        yield return new TestCaseData(SampleFiles.Xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").SetName("An_Excel_workbook_is_recognised_by_its_parts");
        yield return new TestCaseData(SampleFiles.Odt, "application/vnd.oasis.opendocument.text").SetName("An_OpenDocument_text_is_recognised_by_its_mimetype_entry");
        yield return new TestCaseData(SampleFiles.Zip(("mimetype", "application/vnd.oasis.opendocument.spreadsheet")), "application/vnd.oasis.opendocument.spreadsheet").SetName("An_OpenDocument_spreadsheet_is_recognised_by_its_mimetype_entry");
    }

    [TestCaseSource(nameof(Recognised))]
    public void Recognises(byte[] content, string expected) =>
        Assert.That(AttachmentContent.Recognise(content), Is.EqualTo(expected));

    public static IEnumerable<TestCaseData> Refused()
    {
        yield return new TestCaseData(SampleFiles.Exe).SetName("A_program_is_refused");
        yield return new TestCaseData(SampleFiles.PlainZip).SetName("A_zip_that_is_no_office_document_is_refused");
        yield return new TestCaseData(SampleFiles.Zip(("[Content_Types].xml", "<Types/>"), ("autre/partie.xml", "<x/>"))).SetName("A_package_without_Word_Excel_or_PowerPoint_part_is_refused");
        yield return new TestCaseData(SampleFiles.Zip(("mimetype", "application/x-shockwave-flash"))).SetName("A_zip_whose_mimetype_is_not_OpenDocument_is_refused");
        yield return new TestCaseData(SampleFiles.Zip(("mimetype", "application/vnd.oasis.opendocument.text+html"))).SetName("A_zip_whose_mimetype_only_starts_like_OpenDocument_is_refused");
        yield return new TestCaseData(SampleFiles.Zip(("mimetype", "application/vnd.oasis.opendocument.x/../../text/html"))).SetName("A_zip_whose_mimetype_smuggles_another_type_is_refused");
        yield return new TestCaseData((byte[])[0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5]).SetName("A_broken_zip_is_refused");
        yield return new TestCaseData((byte[])[.. "Bonjour"u8, 0, .. "monde"u8]).SetName("Text_with_a_NUL_is_refused");
        yield return new TestCaseData((byte[])[0x42, 0xC3, 0x28, 0x41]).SetName("Bytes_that_are_not_UTF8_are_refused");
        yield return new TestCaseData(Array.Empty<byte>()).SetName("An_empty_file_is_refused");
    }

    [TestCaseSource(nameof(Refused))]
    public void Refuses(byte[] content) => Assert.That(AttachmentContent.Recognise(content), Is.Null);
}

public class AttachmentFileNameTests
{
    [TestCase("photo.png", ExpectedResult = "photo.png")]
    [TestCase(@"C:\Users\claire\Bureau\photo.png", ExpectedResult = "photo.png", TestName = "A_Windows_path_keeps_its_last_segment")]
    [TestCase("../../etc/passwd", ExpectedResult = "passwd", TestName = "A_relative_path_keeps_its_last_segment")]
    [TestCase("facture\u202Egnp.exe", ExpectedResult = "facturegnp.exe", TestName = "A_right_to_left_override_is_removed")]
    [TestCase("a\u0000b\r\nc\u0085d.txt", ExpectedResult = "abcd.txt", TestName = "Control_characters_are_removed")]
    [TestCase("  ..relevé.txt.  ", ExpectedResult = "relevé.txt", TestName = "Leading_and_trailing_dots_and_spaces_are_removed")]
    [TestCase("..", ExpectedResult = "piece-jointe-3", TestName = "A_name_left_empty_gets_a_default_one")]
    [TestCase(null, ExpectedResult = "piece-jointe-3", TestName = "No_name_gets_a_default_one")]
    [TestCase("e\u0301te\u0301.txt", ExpectedResult = "été.txt", TestName = "Names_are_in_composed_Unicode")]
    public string Cleans(string? sent) => AttachmentFileName.Clean(sent, 2);

    [Test]
    public void A_long_name_is_cut_keeping_its_extension()
    {
        var name = AttachmentFileName.Clean(new string('a', 500) + ".pdf", 0);

        Assert.That(name, Has.Length.EqualTo(AttachmentFileName.MaxLength));
        Assert.That(name, Does.EndWith("a.pdf"));
    }
}
