using System.Net;
using TicketHub.ServiceDefaults.Security;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace TicketHub.Portal.Tests;

public sealed class TicketPageTests : PortalTest
{
    private static readonly HubUser Secretary = TestIdentity.College(Fakes.College);

    private void TicketIs(object ticket) =>
        Intake.Given(Request.Create().WithPath($"/api/v1/tickets/{Fakes.TicketId}").UsingGet()).RespondWith(Fakes.Json(ticket));

    [Test]
    public async Task A_failed_ticket_shows_the_plain_reason_to_the_college_and_the_tools_words_to_the_team_only()
    {
        TicketIs(Fakes.Ticket(status: "failed",
            failureReason: "GLPI n'a pas accepté la demande. L'équipe TicketHub en est avertie.",
            failureDetail: "GLPI a refusé le ticket (HTTP 400 ERROR_GLPI_ADD) : Champ obligatoire manquant"));
        using var secretary = Portal.BrowserFor(Secretary);
        using var admin = Portal.BrowserFor(TestIdentity.Admin);

        var collegePage = System.Net.WebUtility.HtmlDecode(await secretary.GetStringAsync($"/demandes/{Fakes.TicketId}"));
        var teamPage = System.Net.WebUtility.HtmlDecode(await admin.GetStringAsync($"/demandes/{Fakes.TicketId}"));

        Assert.That(collegePage, Does.Contain("GLPI n'a pas accepté la demande").And.Not.Contain("ERROR_GLPI_ADD"));
        Assert.That(teamPage, Does.Contain("ERROR_GLPI_ADD"));
    }

    [Test]
    public async Task Hostile_ticket_text_is_shown_as_text_never_as_markup()
    {
        TicketIs(Fakes.Ticket(
            title: "<script>alert('titre')</script>",
            description: "<img src=x onerror=alert(1)> \"quoted\" & <b>gras</b>",
            timeline: [new { at = "2026-03-12T10:00:00Z", kind = "reply", status = (string?)null, text = "<iframe src=//evil>", author = "<svg onload=alert(2)>", authorRole = "infogerant" }]));
        using var browser = Portal.BrowserFor(Secretary);

        var html = await browser.GetStringAsync($"/demandes/{Fakes.TicketId}");

        Assert.That(html, Does.Not.Contain("<script>alert").And.Not.Contain("<img src=x").And.Not.Contain("<iframe").And.Not.Contain("<svg onload").And.Not.Contain("<b>gras"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(&#x27;titre&#x27;)&lt;/script&gt;"));
        Assert.That(html, Does.Contain("&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &lt;b&gt;gras&lt;/b&gt;"));
        Assert.That(html, Does.Contain("&lt;iframe src=//evil&gt;"));
    }

    [Test]
    public async Task A_ticket_not_yet_routed_shows_its_reference_and_refreshes_itself_without_script()
    {
        TicketIs(Fakes.Ticket(status: "received"));
        using var browser = Portal.BrowserFor(Secretary);

        var html = await browser.GetStringAsync($"/demandes/{Fakes.TicketId}");

        Assert.That(html, Does.Contain("TH-2026-000042"));
        Assert.That(html, Does.Contain("<meta http-equiv=\"refresh\" content=\"3\">"));
        Assert.That(html, Does.Contain("Nous cherchons l'équipe qui doit la traiter"));
    }

    [Test]
    public async Task A_routed_ticket_says_where_it_went_and_why_and_stops_refreshing()
    {
        TicketIs(Fakes.Ticket());
        using var browser = Portal.BrowserFor(Secretary);

        var html = await browser.GetStringAsync($"/demandes/{Fakes.TicketId}");

        Assert.That(html, Does.Not.Contain("http-equiv=\"refresh\""));
        Assert.That(html, Does.Contain("L&#x27;infogérant du Département (GLPI)"));
        Assert.That(html, Does.Contain("votre demande est transmise à l&#x27;infogérant du Département (GLPI)."));
        Assert.That(html, Does.Contain("href=\"https://glpi.exemple.invalid/front/ticket.form.php?id=17\""));
    }

    [Test]
    public async Task An_ENT_ticket_gives_the_contact_to_use_as_a_link()
    {
        TicketIs(Fakes.Ticket(status: "routed", route: new
        {
            target = "ent-assistance", tool = (string?)null, queue = (string?)null, rule = "R2", ruleSetVersion = "93-2025.1",
            explanation = "L'ENT est assuré par son éditeur, Kosmos : utilisez son formulaire d'assistance (https://exemple.invalid/kosmos?a=1&b=<2>) ou appelez son assistance téléphonique (01 00 00 00 00). Votre demande reste enregistrée ici.",
        }));
        using var browser = Portal.BrowserFor(Secretary);

        var html = await browser.GetStringAsync($"/demandes/{Fakes.TicketId}");

        Assert.That(html, Does.Contain("contactez l&#x27;assistance de l&#x27;ENT (Kosmos)"));
        Assert.That(html, Does.Contain("<a class=\"fr-notice__link\" href=\"https://exemple.invalid/kosmos?a=1&amp;b=\""));
        Assert.That(html, Does.Contain("01 00 00 00 00"));
        Assert.That(html, Does.Not.Contain("b=<2>"));
    }

    [Test]
    public async Task The_DAT_flag_shows_the_asbestos_warning()
    {
        TicketIs(Fakes.Ticket(flags: ["dat-amiante"]));
        using var browser = Portal.BrowserFor(Secretary);

        var html = await browser.GetStringAsync($"/demandes/{Fakes.TicketId}");

        Assert.That(html, Does.Contain("Diagnostic amiante avant travaux"));
    }

    [Test]
    public async Task A_file_that_did_not_reach_the_tool_is_a_warning_in_the_timeline_not_information_from_the_college()
    {
        const string text = "La pièce jointe « photo.jpg » n'a pas pu être transmise à l'infogérant du Département (GLPI) : fichier trop volumineux pour GLPI (3,2 Mo). Envoyez-la autrement au technicien.";
        TicketIs(Fakes.Ticket(timeline: [new { at = "2026-03-12T10:00:00Z", kind = "attachment-not-delivered", status = (string?)null, text, author = (string?)null, authorRole = (string?)null }]));
        using var browser = Portal.BrowserFor(Secretary);

        var html = await browser.GetStringAsync($"/demandes/{Fakes.TicketId}");

        var entry = html[html.IndexOf("id=\"historique\"", StringComparison.Ordinal)..];
        Assert.That(entry, Does.Contain("<div class=\"fr-alert fr-alert--warning fr-alert--sm\">"));
        Assert.That(entry, Does.Contain("<strong>Pièce jointe non transmise</strong>"));
        Assert.That(System.Net.WebUtility.HtmlDecode(entry), Does.Contain(text));
        Assert.That(entry, Does.Not.Contain("Information ajoutée par"));
    }

    [Test]
    public async Task An_attachment_is_downloaded_through_the_portal_never_inline()
    {
        var attachmentId = Guid.NewGuid();
        TicketIs(Fakes.Ticket(attachments: [new { id = attachmentId, fileName = "page.html", contentType = "text/html", size = 12 }]));
        Intake.Given(Request.Create().WithPath($"/api/v1/tickets/{Fakes.TicketId}/attachments/{attachmentId}").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html")
                .WithHeader("Content-Disposition", "attachment; filename=\"page.html\"").WithBody("<script>x</script>"));
        using var browser = Portal.BrowserFor(Secretary);

        var html = await browser.GetStringAsync($"/demandes/{Fakes.TicketId}");
        using var file = await browser.GetAsync($"/demandes/{Fakes.TicketId}/pieces-jointes/{attachmentId}");

        Assert.That(html, Does.Contain($"href=\"/demandes/{Fakes.TicketId}/pieces-jointes/{attachmentId}\""));
        Assert.That(file.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(file.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
        Assert.That(file.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("attachment"));
        Assert.That(await file.Content.ReadAsStringAsync(), Is.EqualTo("<script>x</script>"));
    }

    [Test]
    public async Task A_comment_reaches_intake_then_the_page_is_shown_again()
    {
        TicketIs(Fakes.Ticket());
        Intake.Given(Request.Create().WithPath($"/api/v1/tickets/{Fakes.TicketId}/comments").UsingPost())
            .RespondWith(Fakes.Json(new { at = "2026-03-12T10:00:00Z", text = "Le VPI fume." }, HttpStatusCode.Created));
        using var browser = Portal.BrowserFor(Secretary);
        var token = AntiforgeryToken(await browser.GetStringAsync($"/demandes/{Fakes.TicketId}"));

        using var response = await browser.PostAsync($"/demandes/{Fakes.TicketId}?handler=Commentaire", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Comment"] = "Le VPI fume.",
        }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo($"/demandes/{Fakes.TicketId}?message=ajoute#echanges"));
        var sent = Intake.LogEntries.Single(e => e.RequestMessage.Method == "POST").RequestMessage;
        Assert.That(sent.Body, Does.Contain("\"text\":\"Le VPI fume.\""));
    }

    [Test]
    public async Task A_comment_with_a_photo_reaches_intake_as_a_form_with_the_file()
    {
        TicketIs(Fakes.Ticket());
        Intake.Given(Request.Create().WithPath($"/api/v1/tickets/{Fakes.TicketId}/comments").UsingPost())
            .RespondWith(Fakes.Json(new { at = "2026-03-12T10:00:00Z", text = "La photo." }, HttpStatusCode.Created));
        using var browser = Portal.BrowserFor(Secretary);
        var page = await browser.GetStringAsync($"/demandes/{Fakes.TicketId}");
        Assert.That(page, Does.Contain("enctype=\"multipart/form-data\"").And.Contain("name=\"comment-attachments\""), "the form takes files");

        using var response = await browser.PostAsync($"/demandes/{Fakes.TicketId}?handler=Commentaire", CommentForm(AntiforgeryToken(page), "La photo.", ("ecran.png", [0x89, 0x50, 0x4E, 0x47])));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var sent = Intake.LogEntries.Single(e => e.RequestMessage.Method == "POST").RequestMessage;
        Assert.That(sent.Headers!["Content-Type"].Single(), Does.StartWith("multipart/form-data"));
        var body = sent.Body ?? System.Text.Encoding.UTF8.GetString(sent.BodyAsBytes ?? []);
        Assert.That(body, Does.Contain("name=comment").And.Contain("\"text\":\"La photo.\"").And.Contain("name=attachments; filename=ecran.png"));
    }

    [Test]
    public async Task A_file_intake_refuses_is_shown_under_the_file_field_and_must_be_chosen_again()
    {
        TicketIs(Fakes.Ticket());
        Intake.Given(Request.Create().WithPath($"/api/v1/tickets/{Fakes.TicketId}/comments").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(422).WithHeader("Content-Type", "application/problem+json")
                .WithBody("""{"status":422,"title":"Erreurs","detail":"Le message contient des erreurs.","errors":{"attachments[0]":["La pièce jointe « outil.png » n'est pas d'un type accepté."]}}"""));
        using var browser = Portal.BrowserFor(Secretary);
        var page = await browser.GetStringAsync($"/demandes/{Fakes.TicketId}");

        using var response = await browser.PostAsync($"/demandes/{Fakes.TicketId}?handler=Commentaire", CommentForm(AntiforgeryToken(page), "La photo.", ("outil.png", [0x4D, 0x5A])));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.That(html, Does.Contain("id=\"comment-attachments-messages\"").And.Contain("La pièce jointe « outil.png » n'est pas d'un type accepté."));
        Assert.That(html, Does.Contain("les pièces jointes doivent être choisies à nouveau"));
    }

    private static MultipartFormDataContent CommentForm(string token, string text, params (string Name, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(text), "Comment" },
        };
        foreach (var (name, bytes) in files)
        {
            form.Add(new ByteArrayContent(bytes), "comment-attachments", name);
        }

        return form;
    }
}
