using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>PASS and Omère get no file (ADR 11): their ticket says which files the hub keeps.</summary>
public sealed class TicketTextTests
{
    private static readonly AttachmentRef[] Files =
    [
        new(Guid.NewGuid(), "capture écran\nPronote.png", "image/png", 356_000, new string('a', 64)),
        new(Guid.NewGuid(), "journal.txt", "text/plain", 900, new string('b', 64)),
        new(Guid.NewGuid(), "scan.pdf", "application/pdf", 1_250_000, new string('c', 64)),
    ];

    [Test]
    public void Lists_the_files_kept_in_the_hub_by_name_and_size_in_the_text_sent_by_email_or_relay()
    {
        var routed = WithFiles(TestTickets.Routed(ExternalTools.Pass), Files);

        var body = new TicketText(ToolDescriptor.Pass).Body(routed);

        Assert.That(body, Does.Contain("""
            Pièces jointes (conservées dans TicketHub, non transmises à PASS) :
            - capture écran Pronote.png (348 Ko)
            - journal.txt (900 octets)
            - scan.pdf (1,2 Mo)
            """.ReplaceLineEndings("\n")));
    }

    [Test]
    public void Adds_the_list_to_the_description_sent_through_the_hub_contract()
    {
        var routed = WithFiles(TestTickets.Routed(ExternalTools.Omere), Files[..1]);

        var structured = new TicketText(ToolDescriptor.Omere).Structured(routed);

        Assert.That(structured.Description, Is.EqualTo(routed.Ticket.Description.TrimEnd()
            + "\n\nPièce jointe (conservée dans TicketHub, non transmise à Omère) :\n- capture écran Pronote.png (348 Ko)"));
    }

    [Test]
    public void Says_nothing_of_files_when_there_is_none()
    {
        var routed = TestTickets.Routed(ExternalTools.Pass);

        Assert.That(new TicketText(ToolDescriptor.Pass).Body(routed), Does.Not.Contain("Pièce"));
        Assert.That(new TicketText(ToolDescriptor.Pass).Structured(routed).Description, Is.EqualTo(routed.Ticket.Description));
    }

    [Test]
    public void A_comments_files_are_listed_after_its_text_for_PASS_and_Omère_and_named_on_one_line_for_the_tools_that_take_them()
    {
        var comment = TestTickets.Comment(TestTickets.Routed(ExternalTools.Pass), "1234") with { Text = "Voici la photo.", Attachments = Files[..2] };

        Assert.That(new TicketText(ToolDescriptor.Pass).CommentMessage(comment), Is.EqualTo(
            "Voici la photo.\n\nPièces jointes (conservées dans TicketHub, non transmises à PASS) :\n- capture écran Pronote.png (348 Ko)\n- journal.txt (900 octets)"));
        Assert.That(new TicketText(ToolDescriptor.Omere).CommentBody(comment, "1234"), Does.Contain("Voici la photo.\n\nPièces jointes (conservées dans TicketHub, non transmises à Omère)"));
        Assert.That(Attachments.CommentFiles.Line(comment.Attachments), Is.EqualTo("Fichiers joints au ticket : capture écran Pronote.png (348 Ko), journal.txt (900 octets)"));
        Assert.That(Attachments.CommentFiles.Line(null), Is.Null);
    }

    [TestCase(null, "Message du collège (Claire Martin)", "Complément du collège")]
    [TestCase(CommentOrigins.College, "Message du collège (Claire Martin)", "Complément du collège")]
    [TestCase(CommentOrigins.PoleTie, "Message du Pôle TIE (Claire Martin)", "Complément du Pôle TIE")]
    [TestCase(CommentOrigins.Team, "Message de l'équipe (Claire Martin)", "Message de l'équipe")]
    [TestCase(CommentOrigins.OnSiteVisit, "Intervention sur site du 04/12/2026 (Claire Martin)", "Intervention sur site")]
    public void Every_tool_is_told_who_wrote_a_comment(string? origin, string heading, string subject)
    {
        var comment = TestTickets.Comment(TestTickets.Routed(ExternalTools.Glpi), "15") with
        {
            Origin = origin,
            VisitedOn = origin == CommentOrigins.OnSiteVisit ? new DateOnly(2026, 12, 4) : null,
        };

        Assert.That(CommentHeading.Of(comment), Is.EqualTo(heading));
        Assert.That(CommentHeading.Subject(comment), Is.EqualTo(subject));
        Assert.That(new TicketText(ToolDescriptor.Omere).CommentBody(comment, "1234"), Does.StartWith($"{subject} pour la demande {comment.Reference}"));
    }

    [Test]
    public void A_visits_note_recorded_later_names_the_day_of_the_visit_not_of_the_recording()
    {
        var comment = TestTickets.Comment(TestTickets.Routed(ExternalTools.Glpi), "15") with
        {
            Origin = CommentOrigins.OnSiteVisit,
            VisitedOn = new DateOnly(2026, 11, 30),
            At = new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero),
            AuthorName = "Karim\nBenali",
        };

        Assert.That(CommentHeading.Of(comment), Is.EqualTo("Intervention sur site du 30/11/2026 (Karim Benali)"), "on one line, whatever was typed");
    }

    private static TicketRouted WithFiles(TicketRouted routed, AttachmentRef[] files) =>
        routed with { Ticket = routed.Ticket with { Attachments = files } };
}
