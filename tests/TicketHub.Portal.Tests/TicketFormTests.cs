using System.Net;
using System.Text;
using System.Text.Json;
using TicketHub.ServiceDefaults.Security;
using WireMock.RequestBuilders;

namespace TicketHub.Portal.Tests;

public sealed class TicketFormTests : PortalTest
{
    private static readonly HubUser Secretary = TestIdentity.College(Fakes.College, "Claire Martin");

    [Test]
    public async Task The_form_asks_in_plain_words_with_the_categories_of_the_rule_set()
    {
        using var browser = Portal.BrowserFor(Secretary);

        var html = await browser.GetStringAsync("/demandes/nouvelle");

        Assert.That(html, Does.Contain("Quel est le problème ?")
            .And.Contain("S'agit-il d'un poste de l'administration ou d'une salle de classe ?")
            .And.Contain("Est-ce lié au bâtiment ?")
            .And.Contain("Vidéoprojecteur interactif (VPI/ENI)")
            .And.Contain("fr-radio-rich")
            .And.Contain("/dsfr/artwork/pictograms/"));
        Assert.That(html, Does.Not.Contain(">ZP<").And.Not.Contain(">ZA<"));
        Assert.That(html, Does.Contain("value=\"Claire Martin\""), "the requester's name is the signed-in user's");
        Assert.That(html, Does.Contain("Collège Jean Moulin"));
        Assert.That(html, Does.Contain("enctype=\"multipart/form-data\""));
    }

    [Test]
    public async Task A_form_with_errors_comes_back_with_each_error_next_to_its_field_and_a_summary()
    {
        using var browser = Portal.BrowserFor(Secretary);
        var token = AntiforgeryToken(await browser.GetStringAsync("/demandes/nouvelle"));

        using var response = await browser.PostAsync("/demandes/nouvelle", Form(token, new()
        {
            ["Input.Category"] = "",
            ["Input.Building"] = "non",
            ["Input.Type"] = "incident",
            ["Input.Title"] = "",
            ["Input.Description"] = "Le VPI reste éteint.",
            ["Input.RequesterName"] = "Claire Martin",
            ["Input.RequesterEmail"] = "pas-une-adresse",
        }));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("<title>Erreur : Nouvelle demande"));
        Assert.That(html, Does.Contain("Le formulaire contient 4 erreurs"));
        Assert.That(html, Does.Contain("href=\"#title\"").And.Contain("href=\"#requester-email\"").And.Contain("href=\"#category-vpi\"").And.Contain("href=\"#zone-ZA\""));
        Assert.That(html, Does.Match("id=\"title\"[^>]*aria-describedby=\"title-hint title-messages\"[^>]*aria-invalid=\"true\""));
        Assert.That(html, Does.Match("<div class=\"fr-messages-group\" id=\"requester-email-messages\"[^>]*>\\s*<p class=\"fr-message fr-message--error\"[^>]*>L&#x27;adresse électronique n&#x27;est pas valide"));
        Assert.That(html, Does.Contain("value=\"Le VPI reste éteint.\"").Or.Contain(">Le VPI reste éteint.</textarea>"), "what was typed is kept");
        Assert.That(Intake.LogEntries, Is.Empty, "nothing is sent while the form has errors");
    }

    [Test]
    public async Task A_valid_form_with_a_file_reaches_intake_as_multipart_with_the_form_idempotency_key_then_shows_the_ticket()
    {
        AcceptTickets();
        using var browser = Portal.BrowserFor(Secretary);
        var page = await browser.GetStringAsync("/demandes/nouvelle");
        var formId = FormIdOf(page);

        using var form = Multipart(AntiforgeryToken(page), formId, ("photo du VPI.png", "image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]));
        using var response = await browser.PostAsync("/demandes/nouvelle", form);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo($"/demandes/{Fakes.TicketId}"));
        var sent = Intake.LogEntries.Single().RequestMessage;
        Assert.That(sent.Headers!["Content-Type"].Single(), Does.StartWith("multipart/form-data"));
        Assert.That(sent.Headers["Idempotency-Key"].Single(), Is.EqualTo($"portail-{Guid.Parse(formId):N}"));
        Assert.That(sent.Headers["Authorization"].Single(), Does.StartWith("Bearer "));
        var body = Encoding.UTF8.GetString(sent.BodyAsBytes!);
        Assert.That(body, Does.Contain("name=ticket").And.Contain("name=attachments").And.Contain("photo du VPI.png"));
        var ticketPart = body[body.IndexOf("name=ticket", StringComparison.Ordinal)..];
        ticketPart = ticketPart[(ticketPart.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        var json = JsonDocument.Parse(ticketPart[..ticketPart.IndexOf("\r\n--", StringComparison.Ordinal)]).RootElement;
        Assert.That(json.GetProperty("collegeUai").GetString(), Is.EqualTo(Fakes.College));
        Assert.That(json.GetProperty("zone").GetString(), Is.EqualTo("ZP"));
        Assert.That(json.GetProperty("category").GetString(), Is.EqualTo("vpi"));
        Assert.That(json.GetProperty("buildingImpact").GetBoolean(), Is.False);
        Assert.That(json.GetProperty("requester").GetProperty("email").GetString(), Is.EqualTo("claire.martin@ac-creteil.fr"));
    }

    [Test]
    public async Task The_same_form_sent_twice_carries_the_same_idempotency_key()
    {
        AcceptTickets();
        using var browser = Portal.BrowserFor(Secretary);
        var page = await browser.GetStringAsync("/demandes/nouvelle");
        var formId = FormIdOf(page);

        using var first = await browser.PostAsync("/demandes/nouvelle", Multipart(AntiforgeryToken(page), formId));
        using var second = await browser.PostAsync("/demandes/nouvelle", Multipart(AntiforgeryToken(page), formId));

        var keys = Intake.LogEntries.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).ToList();
        Assert.That(keys, Has.Count.EqualTo(2));
        Assert.That(keys.Distinct().Count(), Is.EqualTo(1));
        Assert.That(second.Headers.Location, Is.EqualTo(first.Headers.Location));
    }

    [Test]
    public async Task Intake_field_errors_are_shown_next_to_the_fields_they_concern()
    {
        Intake.Given(Request.Create().WithPath("/api/v1/tickets").UsingPost())
            .RespondWith(Fakes.Problem(HttpStatusCode.UnprocessableEntity, "Données invalides", "La demande contient des erreurs.",
                new Dictionary<string, string[]>
                {
                    ["requester.email"] = ["Adresse refusée par intake."],
                    ["attachments[0]"] = ["Le type du fichier « photo du VPI.png » n'est pas accepté."],
                }));
        using var browser = Portal.BrowserFor(Secretary);
        var page = await browser.GetStringAsync("/demandes/nouvelle");
        var formId = FormIdOf(page);

        using var response = await browser.PostAsync("/demandes/nouvelle", Multipart(AntiforgeryToken(page), formId, ("photo du VPI.png", "image/png", [1, 2, 3])));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Match("id=\"requester-email-messages\"[^>]*>\\s*<p class=\"fr-message fr-message--error\"[^>]*>Adresse refusée par intake."));
        Assert.That(html, Does.Match("id=\"attachments-messages\"[^>]*>\\s*<p class=\"fr-message fr-message--error\">Le type du fichier"));
        Assert.That(html, Does.Contain("href=\"#attachments\""));
    }

    [Test]
    public async Task A_dispatcher_chooses_the_college()
    {
        using var browser = Portal.BrowserFor(TestIdentity.Dispatcher);

        var html = await browser.GetStringAsync("/demandes/nouvelle");

        Assert.That(html, Does.Contain("<select class=\"fr-select\" id=\"college\" name=\"Input.CollegeUai\"").And.Contain("value=\"0931234X\""));
    }

    private static FormUrlEncodedContent Form(string token, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = token;
        fields.TryAdd("Input.FormId", Guid.NewGuid().ToString());
        fields.TryAdd("Input.Zone", "");
        return new FormUrlEncodedContent(fields);
    }

    [Test]
    public async Task A_request_whose_zone_is_unknown_but_whose_text_points_to_one_is_shown_the_suggestion_once_then_sent_as_the_person_left_it()
    {
        Classifier.Given(Request.Create().WithPath("/api/v1/suggestions").UsingPost())
            .RespondWith(Fakes.Json(new { zone = "ZA", zoneConfidence = 0.9, zoneConfident = true, category = "ent", categoryLabel = "ENT (espace numérique de travail)", categoryConfidence = 0.4, categoryConfident = false, threshold = 0.7 }));
        AcceptTickets();
        using var browser = Portal.BrowserFor(Secretary);
        var page = await browser.GetStringAsync("/demandes/nouvelle");
        var formId = FormIdOf(page);

        using var first = await browser.PostAsync("/demandes/nouvelle", Multipart(AntiforgeryToken(page), formId, zone: "inconnue", category: "ent"));
        var shown = await first.Content.ReadAsStringAsync();

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), shown);
        Assert.That(shown, Does.Contain("Avant d'envoyer, vérifiez").And.Contain("<strong>un poste ou un service de l&#x27;administration</strong>")
            .And.Contain("href=\"#zone-ZA\"").And.Contain("name=\"Input.SuggestionShown\" value=\"true\""));
        Assert.That(shown, Does.Contain("id=\"zone-inconnue\" name=\"Input.Zone\" value=\"inconnue\" checked=\"checked\""), "the person's answer is kept: they decide");
        Assert.That(Intake.LogEntries, Is.Empty, "nothing sent before the person has seen the suggestion");

        using var second = await browser.PostAsync("/demandes/nouvelle", Multipart(AntiforgeryToken(shown), formId, zone: "inconnue", category: "ent", suggestionShown: true));

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await second.Content.ReadAsStringAsync());
        var body = JsonDocument.Parse(Intake.LogEntries.Single().RequestMessage.Body!).RootElement;
        Assert.That(body.TryGetProperty("zone", out var zone) ? zone.ValueKind : JsonValueKind.Null, Is.EqualTo(JsonValueKind.Null), "sent without a zone, as the person left it");
    }

    [Test]
    public async Task A_suggestion_never_holds_a_request_back_when_the_classifier_cannot_answer()
    {
        AcceptTickets();
        using var browser = Portal.BrowserFor(Secretary);
        var page = await browser.GetStringAsync("/demandes/nouvelle");
        var formId = FormIdOf(page);

        using var response = await browser.PostAsync("/demandes/nouvelle", Multipart(AntiforgeryToken(page), formId, zone: "inconnue", category: "ent"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        Assert.That(Intake.LogEntries, Has.Count.EqualTo(1));
    }

    /// <summary>Intake accepts every ticket as TH-2026-000042.</summary>
    private void AcceptTickets() =>
        Intake.Given(Request.Create().WithPath("/api/v1/tickets").UsingPost())
            .RespondWith(Fakes.Json(new { id = Fakes.TicketId, reference = "TH-2026-000042", status = "received" }, HttpStatusCode.Accepted));

    /// <summary>The form's id (its idempotency key) in the page as served.</summary>
    private static string FormIdOf(string page) =>
        System.Text.RegularExpressions.Regex.Match(page, "name=\"Input.FormId\" value=\"([0-9a-f-]+)\"").Groups[1].Value;

    private static MultipartFormDataContent Multipart(string token, string formId, params (string Name, string Type, byte[] Bytes)[] files) =>
        Multipart(token, formId, "ZP", "vpi", false, files);

    private static MultipartFormDataContent Multipart(string token, string formId, string zone, string category, bool suggestionShown = false) =>
        Multipart(token, formId, zone, category, suggestionShown, []);

    private static MultipartFormDataContent Multipart(string token, string formId, string zone, string category, bool suggestionShown, (string Name, string Type, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(formId), "Input.FormId" },
            { new StringContent(category), "Input.Category" },
            { new StringContent(zone), "Input.Zone" },
            { new StringContent("non"), "Input.Building" },
            { new StringContent("incident"), "Input.Type" },
            { new StringContent("high"), "Input.Urgency" },
            { new StringContent("Salle 12"), "Input.Location" },
            { new StringContent("Le VPI de la salle 12 ne s'allume plus"), "Input.Title" },
            { new StringContent("Depuis ce matin."), "Input.Description" },
            { new StringContent("Claire Martin"), "Input.RequesterName" },
            { new StringContent("claire.martin@ac-creteil.fr"), "Input.RequesterEmail" },
        };
        if (suggestionShown)
        {
            form.Add(new StringContent("true"), "Input.SuggestionShown");
        }

        foreach (var (name, type, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new(type);
            form.Add(part, "attachments", name);
        }

        return form;
    }
}
