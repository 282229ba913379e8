using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TicketHub.Contracts;
using TicketHub.Intake.Tests.Support;
using TicketHub.ServiceDefaults.Security;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tests;

/// <summary>
/// Files sent with a ticket (<c>multipart/form-data</c>): recognised by their content, stored with
/// the ticket in one transaction, announced in <see cref="TicketSubmitted"/>, downloaded as attachments.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public class AttachmentsApiTests(DatabaseProvider provider) : IntakeFixture(provider)
{
    private const string Own = "0931234X";
    private const string Other = "0935678Z";

    private static string TicketJson(string uai = Own, string title = "VPI en panne")
    {
        var body = TicketRequestParserTests.ValidBody();
        body["collegeUai"] = uai;
        body["title"] = title;
        return body.ToJsonString();
    }

    private async Task<HttpResponseMessage> PostAsync(TicketFormBody form, HubUser? user = null, string? idempotencyKey = null, string boundary = "----tickethub-test-boundary")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = form.ToContent(boundary) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await SendAsync(request, user ?? TestIdentity.Admin);
    }

    private static async Task<Guid> IdOfAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        return Guid.Parse((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
    }

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private async Task<IReadOnlyList<AttachmentRef>> SubmittedAttachmentsAsync(Guid ticketId)
    {
        var submitted = await Tickets.PublishedAsync<TicketSubmitted>(m => m.TicketId == ticketId);
        return submitted.Ticket.Attachments ?? [];
    }

    [Test]
    public async Task A_ticket_with_files_is_stored_with_them_and_TicketSubmitted_lists_them_with_their_SHA256()
    {
        var form = new TicketFormBody().Ticket(TicketJson())
            .File("photo.png", SampleFiles.Png, "image/png")
            .File("devis.pdf", SampleFiles.Pdf, "application/pdf")
            .File("relevé d'erreur.txt", SampleFiles.Text, "text/plain")
            .File("inventaire.docx", SampleFiles.Docx)
            .File("compte-rendu.odt", SampleFiles.Odt);

        var id = await IdOfAsync(await PostAsync(form));

        var ticket = await Tickets.GetAsync(id);
        var listed = ticket["attachments"]!.AsArray().Select(a => (a!["fileName"]!.GetValue<string>(), a["contentType"]!.GetValue<string>(), a["size"]!.GetValue<long>())).ToList();
        Assert.That(listed, Is.EqualTo(new[]
        {
            ("photo.png", "image/png", (long)SampleFiles.Png.Length),
            ("devis.pdf", "application/pdf", SampleFiles.Pdf.Length),
            ("relevé d'erreur.txt", "text/plain; charset=utf-8", SampleFiles.Text.Length),
            ("inventaire.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", SampleFiles.Docx.Length),
            ("compte-rendu.odt", "application/vnd.oasis.opendocument.text", SampleFiles.Odt.Length),
        }));
        Assert.That(ticket["history"]!.AsArray()[0]!["note"]!.GetValue<string>(), Is.EqualTo("Demande enregistrée, avec 5 pièces jointes."));

        var submitted = await SubmittedAttachmentsAsync(id);
        var ids = ticket["attachments"]!.AsArray().Select(a => Guid.Parse(a!["id"]!.GetValue<string>())).ToList();
        Assert.That(submitted.Select(a => (a.Id, a.FileName, a.Size, a.Sha256)), Is.EqualTo(new[]
        {
            (ids[0], "photo.png", (long)SampleFiles.Png.Length, Sha256(SampleFiles.Png)),
            (ids[1], "devis.pdf", SampleFiles.Pdf.Length, Sha256(SampleFiles.Pdf)),
            (ids[2], "relevé d'erreur.txt", SampleFiles.Text.Length, Sha256(SampleFiles.Text)),
            (ids[3], "inventaire.docx", SampleFiles.Docx.Length, Sha256(SampleFiles.Docx)),
            (ids[4], "compte-rendu.odt", SampleFiles.Odt.Length, Sha256(SampleFiles.Odt)),
        }));
    }

    [Test]
    public async Task A_PNG_named_and_declared_as_a_PDF_is_stored_as_a_PNG()
    {
        var id = await IdOfAsync(await PostAsync(new TicketFormBody().Ticket(TicketJson()).File("facture.pdf", SampleFiles.Png, "application/pdf")));

        var attachment = (await Tickets.GetAsync(id))["attachments"]!.AsArray().Single()!;
        Assert.That((attachment["fileName"]!.GetValue<string>(), attachment["contentType"]!.GetValue<string>()), Is.EqualTo(("facture.pdf", "image/png")));
        Assert.That((await SubmittedAttachmentsAsync(id)).Single().ContentType, Is.EqualTo("image/png"));
    }

    [Test]
    public async Task A_program_renamed_png_is_refused_with_a_French_422_naming_the_file_and_nothing_is_stored()
    {
        var tickets = await Factory.CountAsync("tickets");
        var attachments = await Factory.CountAsync("ticket_attachments");

        using var response = await PostAsync(new TicketFormBody().Ticket(TicketJson())
            .File("photo.png", SampleFiles.Png, "image/png")
            .File("photo2.png", SampleFiles.Exe, "image/png"));

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        var errors = problem["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { "attachments[1]" }));
        Assert.That(errors["attachments[1]"]![0]!.GetValue<string>(), Does.Contain("« photo2.png »").And.Contain("contenu"));
        Assert.That(await Factory.CountAsync("tickets"), Is.EqualTo(tickets));
        Assert.That(await Factory.CountAsync("ticket_attachments"), Is.EqualTo(attachments));
    }

    [Test]
    public async Task Errors_of_the_ticket_and_of_its_files_come_back_together()
    {
        var body = TicketRequestParserTests.ValidBody();
        body["title"] = "";
        body["couleur"] = "bleu";

        using var response = await PostAsync(new TicketFormBody().Ticket(body.ToJsonString()).File("archive.zip", SampleFiles.PlainZip));

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "title", "couleur", "attachments[0]" }));
        Assert.That(problem["errors"]!["title"]![0]!.GetValue<string>(), Is.EqualTo("Ce champ est obligatoire : indiquez le titre."));
    }

    [Test]
    public async Task A_file_over_10_MB_is_refused_with_413_naming_it()
    {
        var large = new byte[(10 * 1024 * 1024) + 1];
        SampleFiles.Pdf.CopyTo(large, 0);

        using var response = await PostAsync(new TicketFormBody().Ticket(TicketJson()).File("plan du bâtiment.pdf", large, "application/pdf"));

        var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("« plan du bâtiment.pdf »").And.Contain("10 Mo"));
    }

    [Test]
    public async Task A_file_of_exactly_10_MB_is_accepted()
    {
        var large = new byte[10 * 1024 * 1024];
        SampleFiles.Pdf.CopyTo(large, 0);

        var id = await IdOfAsync(await PostAsync(new TicketFormBody().Ticket(TicketJson()).File("plan.pdf", large, "application/pdf")));

        Assert.That((await Tickets.GetAsync(id))["attachments"]![0]!["size"]!.GetValue<long>(), Is.EqualTo(large.Length));
    }

    [Test]
    public async Task Six_files_are_refused_five_at_most()
    {
        var form = new TicketFormBody().Ticket(TicketJson());
        for (var i = 1; i <= 6; i++)
        {
            form.File($"photo{i}.png", SampleFiles.Png, "image/png");
        }

        using var response = await PostAsync(form);

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(problem["errors"]!["attachments"]![0]!.GetValue<string>(), Does.Contain("5"));
    }

    [Test]
    public async Task A_form_without_its_ticket_part_or_with_an_unknown_part_is_refused()
    {
        using var noTicket = await PostAsync(new TicketFormBody().File("photo.png", SampleFiles.Png));
        using var unknown = await PostAsync(new TicketFormBody().Ticket(TicketJson()).File("photo.png", SampleFiles.Png, name: "fichier"));

        Assert.That((await ProblemAsync(noTicket, HttpStatusCode.BadRequest))["detail"]!.GetValue<string>(), Does.Contain("« ticket »"));
        Assert.That((await ProblemAsync(unknown, HttpStatusCode.UnprocessableEntity))["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "fichier" }));
    }

    [Test]
    public async Task A_form_without_files_is_an_ordinary_ticket_and_an_empty_file_field_is_no_file()
    {
        var id = await IdOfAsync(await PostAsync(new TicketFormBody().Ticket(TicketJson()).File("", [])));

        Assert.That((await Tickets.GetAsync(id))["attachments"]!.AsArray(), Is.Empty);
        Assert.That(await SubmittedAttachmentsAsync(id), Is.Empty);
    }

    [Test]
    public async Task File_names_are_cleaned_of_paths_and_invisible_characters()
    {
        var id = await IdOfAsync(await PostAsync(new TicketFormBody().Ticket(TicketJson())
            .File(@"C:\Users\claire\Bureau\facture" + "\u202E" + "fdp.png", SampleFiles.Png)));

        Assert.That((await Tickets.GetAsync(id))["attachments"]![0]!["fileName"]!.GetValue<string>(), Is.EqualTo("facturefdp.png"));
    }

    [Test]
    public async Task The_same_Idempotency_Key_with_the_same_ticket_and_files_gives_the_same_ticket_whatever_the_form_delimiter()
    {
        var key = $"pj-{Guid.NewGuid():N}";
        TicketFormBody Form(byte[] file) => new TicketFormBody().Ticket(TicketJson(title: key)).File("photo.png", file);

        var first = await IdOfAsync(await PostAsync(Form(SampleFiles.Png), idempotencyKey: key, boundary: "premier-delimiteur"));
        var again = await IdOfAsync(await PostAsync(Form(SampleFiles.Png), idempotencyKey: key, boundary: "second-delimiteur"));
        using var otherFile = await PostAsync(Form(SampleFiles.Jpeg), idempotencyKey: key);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(otherFile.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }

    [Test]
    public async Task A_file_downloads_with_its_stored_type_as_an_attachment_never_sniffed()
    {
        var id = await IdOfAsync(await PostAsync(new TicketFormBody().Ticket(TicketJson())
            .File("relevé d'erreur.txt", SampleFiles.Text, "text/html")));
        var attachmentId = (await Tickets.GetAsync(id))["attachments"]![0]!["id"]!.GetValue<string>();

        using var response = await Client.GetAsync($"/api/v1/tickets/{id}/attachments/{attachmentId}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(SampleFiles.Text));
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/plain; charset=utf-8"));
        Assert.That(response.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("attachment"));
        Assert.That(response.Content.Headers.GetValues("Content-Disposition").Single(), Does.Contain("filename*=UTF-8''relev%C3%A9%20d%27erreur.txt"));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
    }

    [Test]
    public async Task Who_may_read_the_ticket_may_download_its_files_and_nobody_else()
    {
        var id = await IdOfAsync(await PostAsync(new TicketFormBody().Ticket(TicketJson()).File("photo.png", SampleFiles.Png)));
        var reference = (await Tickets.GetAsync(id))["reference"]!.GetValue<string>();
        await Tickets.RouteAsync((id, reference), RouteTargets.Infogerant, ExternalTools.Glpi);
        var path = $"/api/v1/tickets/{id}/attachments/{(await Tickets.GetAsync(id))["attachments"]![0]!["id"]!.GetValue<string>()}";

        async Task<HttpStatusCode> StatusAsync(HubUser? user)
        {
            using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), user);
            return response.StatusCode;
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await StatusAsync(TestIdentity.College(Own)), Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await StatusAsync(TestIdentity.College(Other)), Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await StatusAsync(TestIdentity.Infogerant), Is.EqualTo(HttpStatusCode.OK), "the connector's key fetches the files of GLPI and iTop tickets");
            Assert.That(await StatusAsync(TestIdentity.Rectorat), Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await StatusAsync(TestIdentity.Omere), Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await StatusAsync(TestIdentity.Dispatcher), Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await StatusAsync(null), Is.EqualTo(HttpStatusCode.Unauthorized));
        }
    }

    [Test]
    public async Task An_unknown_attachment_of_a_readable_ticket_is_a_404()
    {
        var ticket = await Tickets.ReceivedAsync(Own);

        using var response = await Client.GetAsync($"/api/v1/tickets/{ticket.Id}/attachments/{Guid.NewGuid()}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_rerouted_ticket_takes_its_files_to_the_new_tool()
    {
        var id = await IdOfAsync(await PostAsync(new TicketFormBody().Ticket(TicketJson()).File("photo.png", SampleFiles.Png)));
        var reference = (await Tickets.GetAsync(id))["reference"]!.GetValue<string>();
        await Tickets.RouteAsync((id, reference), RouteTargets.Triage, null);

        using var response = await Client.PostAsJsonAsync($"/api/v1/tickets/{id}/reroute", new { target = "pass", reason = "Application nationale." });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var rerouted = await Tickets.PublishedAsync<TicketRerouted>(m => m.TicketId == id);
        Assert.That(rerouted.Ticket.Attachments!.Select(a => (a.FileName, a.Sha256)), Is.EqualTo(new[] { ("photo.png", Sha256(SampleFiles.Png)) }));
    }

    [Test]
    public async Task A_comment_with_files_adds_them_to_the_ticket_and_TicketCommentAdded_carries_them_with_the_college()
    {
        var ticket = await Tickets.ReceivedAsync(Own);

        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tickets/{ticket.Id}/comments")
        {
            Content = new TicketFormBody().Comment("Voici la photo de l'écran et le devis.")
                .File("ecran.png", SampleFiles.Png, "image/png").File("devis.pdf", SampleFiles.Pdf, "application/pdf").ToContent(),
        }, TestIdentity.College(Own));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var view = await Tickets.GetAsync(ticket.Id);
        var comment = view["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "comment")!;
        Assert.That(comment["attachments"]!.AsArray().Select(a => a!["fileName"]!.GetValue<string>()), Is.EqualTo(new[] { "ecran.png", "devis.pdf" }), "the comment's files in the timeline");
        Assert.That(view["attachments"]!.AsArray().Select(a => a!["fileName"]!.GetValue<string>()), Is.EqualTo(new[] { "ecran.png", "devis.pdf" }), "and among the ticket's files");

        var sent = await Tickets.PublishedAsync<TicketCommentAdded>(m => m.TicketId == ticket.Id);
        Assert.That(sent.Attachments!.Select(a => (a.FileName, a.ContentType, a.Sha256)), Is.EqualTo(new[]
        {
            ("ecran.png", "image/png", Sha256(SampleFiles.Png)),
            ("devis.pdf", "application/pdf", Sha256(SampleFiles.Pdf)),
        }));
        Assert.That(sent.CollegeUai, Is.EqualTo(Own), "where the tool files them");

        var fileId = sent.Attachments![0].Id;
        using var download = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tickets/{ticket.Id}/attachments/{fileId}"), TestIdentity.College(Own));
        Assert.That(await download.Content.ReadAsByteArrayAsync(), Is.EqualTo(SampleFiles.Png), "downloaded like the ticket's own files");
    }

    [Test]
    public async Task A_comment_with_a_program_renamed_png_is_refused_with_a_422_naming_it_and_nothing_is_stored()
    {
        var ticket = await Tickets.ReceivedAsync(Own);
        var attachments = await Factory.CountAsync("ticket_attachments");

        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tickets/{ticket.Id}/comments")
        {
            Content = new TicketFormBody().Comment("La photo.").File("photo.png", SampleFiles.Exe, "image/png").ToContent(),
        }, TestIdentity.College(Own));

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.That(problem["errors"]!["attachments[0]"]![0]!.GetValue<string>(), Does.Contain("« photo.png »").And.Contain("contenu"));
        Assert.That(await Factory.CountAsync("ticket_attachments"), Is.EqualTo(attachments));
        Assert.That((await Tickets.GetAsync(ticket.Id))["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "comment"), Is.False, "no comment either");
    }

    [Test]
    public async Task Other_routes_keep_the_small_body_limit()
    {
        var ticket = await Tickets.ReceivedAsync(Own);
        var text = new string('x', 300 * 1024);

        using var response = await Client.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id}/comments", new { text });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }
}
