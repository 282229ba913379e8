using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using TicketHub.ServiceDefaults.Security;
using WireMock.RequestBuilders;

namespace TicketHub.Portal.Tests;

/// <summary>« Signaler l'avancement dans PASS/Omère »: the tool's operator reports from the ticket page.</summary>
public sealed class OperatorReportTests : PortalTest
{
    private static readonly string TicketPage = $"/demandes/{Fakes.TicketId}";
    private static readonly string ReportPath = $"/api/v1/tickets/{Fakes.TicketId}/external-updates";

    /// <summary>An Omère ticket, entered in Omère (number OM-4711) unless <paramref name="inTool"/> is false.</summary>
    private void OmereTicketIs(bool inTool = true)
    {
        var ticket = JsonSerializer.SerializeToNode(Fakes.Ticket(status: inTool ? "forwarded" : "routed", route: new
        {
            target = "omere", tool = "omere", queue = "UT1", rule = "R7", ruleSetVersion = "93-2025.1",
            explanation = "Un problème lié au bâtiment relève du service des bâtiments du Département (Omère).",
        }), JsonSerializerOptions.Web)!.AsObject();
        ticket["external"] = inTool ? JsonSerializer.SerializeToNode(new { tool = "omere", id = "OM-4711", url = (string?)null }) : null;
        Intake.Given(Request.Create().WithPath($"/api/v1/tickets/{Fakes.TicketId}").UsingGet()).RespondWith(Fakes.Json(ticket));
    }

    private static FormUrlEncodedContent Form(string token, string? status, string? reply = null, string? author = null)
    {
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = token };
        if (status is not null)
        {
            fields["Report.Status"] = status;
        }

        fields["Report.Reply"] = reply ?? "";
        fields["Report.AuthorName"] = author ?? "";
        return new FormUrlEncodedContent(fields);
    }

    [Test]
    public async Task The_Omere_operator_reports_a_status_and_a_reply_to_intake_with_their_own_token_then_is_sent_back_to_the_ticket()
    {
        OmereTicketIs();
        Intake.Given(Request.Create().WithPath(ReportPath).UsingPost()).RespondWith(Fakes.Json(Fakes.Ticket(status: "resolved")));
        using var browser = Portal.BrowserFor(TestIdentity.Omere);
        var page = await browser.GetStringAsync(TicketPage);
        Assert.That(page, Does.Contain("<h2 id=\"avancement-title\">Signaler l'avancement dans Omère</h2>").And.Contain("Statut inchangé"));

        using var response = await browser.PostAsync($"{TicketPage}?handler=Avancement",
            Form(AntiforgeryToken(page), "resolved", "  La prise a été remplacée ce matin.  ", "Karim, UT1"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo($"{TicketPage}?message=signale#echanges"));
        var sent = Intake.LogEntries.Single(e => e.RequestMessage.Method == "POST").RequestMessage;
        Assert.That(sent.Path, Is.EqualTo(ReportPath));
        var body = JsonDocument.Parse(sent.Body!).RootElement;
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("resolved"));
        Assert.That(body.GetProperty("reply").GetString(), Is.EqualTo("La prise a été remplacée ce matin."));
        Assert.That(body.GetProperty("authorName").GetString(), Is.EqualTo("Karim, UT1"));
        var token = new JsonWebToken(sent.Headers!["Authorization"].Single()["Bearer ".Length..]);
        Assert.That(token.Subject, Is.EqualTo(TestIdentity.Omere.Id), "intake is called with the operator's own token");

        var after = await browser.GetStringAsync($"{TicketPage}?message=signale");
        Assert.That(after, Does.Contain("id=\"avancement-enregistre\"").And.Contain("fr-alert--success"));
    }

    [Test]
    public async Task A_field_error_from_intake_is_shown_next_to_its_field_with_the_typed_text_kept()
    {
        OmereTicketIs();
        Intake.Given(Request.Create().WithPath(ReportPath).UsingPost())
            .RespondWith(Fakes.Problem(HttpStatusCode.BadRequest, "Données invalides", "Le signalement contient des erreurs : corrigez les champs indiqués.",
                new Dictionary<string, string[]> { ["reply"] = ["Ce champ contient des caractères de contrôle non autorisés."] }));
        using var browser = Portal.BrowserFor(TestIdentity.Omere);
        var token = AntiforgeryToken(await browser.GetStringAsync(TicketPage));

        using var response = await browser.PostAsync($"{TicketPage}?handler=Avancement", Form(token, "in-progress", "Intervention prévue jeudi."));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("<title>Erreur : Demande TH-2026-000042"));
        Assert.That(html, Does.Contain("id=\"avancement-erreurs\"").And.Contain("href=\"#avancement-message\""));
        Assert.That(html, Does.Match("id=\"avancement-message\"[^>]*aria-describedby=\"avancement-message-hint avancement-message-messages\"[^>]*aria-invalid=\"true\""));
        Assert.That(html, Does.Match("id=\"avancement-message-messages\"[^>]*>\\s*<p class=\"fr-message fr-message--error\"[^>]*>Ce champ contient des caractères de contrôle non autorisés."));
        Assert.That(html, Does.Contain(">Intervention prévue jeudi.</textarea>"), "what was typed is kept");
        Assert.That(html, Does.Match("id=\"avancement-statut-in-progress\"[^>]*checked"), "the chosen status is kept");
    }

    [Test]
    public async Task The_portal_asks_for_a_status_before_calling_intake()
    {
        OmereTicketIs();
        using var browser = Portal.BrowserFor(TestIdentity.Omere);
        var token = AntiforgeryToken(await browser.GetStringAsync(TicketPage));

        using var response = await browser.PostAsync($"{TicketPage}?handler=Avancement", Form(token, status: null, reply: "Vu."));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("href=\"#avancement-statut-in-progress\""));
        Assert.That(html, Does.Match("<fieldset class=\"fr-fieldset fr-fieldset--error\" id=\"avancement-statut\"[^>]*aria-describedby=\"avancement-statut-messages\""));
        Assert.That(html, Does.Contain("Choisissez le statut de la demande dans Omère"));
        Assert.That(Intake.LogEntries.Any(e => e.RequestMessage.Method == "POST"), Is.False, "nothing is sent while the form has errors");
    }

    [Test]
    public async Task A_conflict_from_intake_is_shown_above_the_form()
    {
        OmereTicketIs();
        Intake.Given(Request.Create().WithPath(ReportPath).UsingPost())
            .RespondWith(Fakes.Problem(HttpStatusCode.Conflict, "Conflit", "Cette demande n'a pas encore été transmise à Omère : confirmez d'abord sa saisie dans la file de saisie manuelle."));
        using var browser = Portal.BrowserFor(TestIdentity.Admin);
        var token = AntiforgeryToken(await browser.GetStringAsync(TicketPage));

        using var response = await browser.PostAsync($"{TicketPage}?handler=Avancement", Form(token, "closed"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Match("id=\"avancement-erreurs\"[\\s\\S]*<li>Cette demande n&#x27;a pas encore été transmise à Omère"));
    }

    [Test]
    public async Task A_ticket_not_yet_entered_in_the_tool_offers_the_relay_queue_instead_of_the_form()
    {
        OmereTicketIs(inTool: false);
        using var browser = Portal.BrowserFor(TestIdentity.Omere);

        var html = await browser.GetStringAsync(TicketPage);

        Assert.That(html, Does.Contain("id=\"avancement-attente\"").And.Contain("href=\"/omere#saisie\""));
        Assert.That(html, Does.Not.Contain("handler=Avancement"));
    }

    [Test]
    public async Task A_college_user_does_not_see_the_form_and_a_post_from_one_is_refused()
    {
        OmereTicketIs();
        using var browser = Portal.BrowserFor(TestIdentity.College(Fakes.College));
        var page = await browser.GetStringAsync(TicketPage);
        Assert.That(page, Does.Not.Contain("id=\"avancement\"").And.Not.Contain("handler=Avancement"));

        // The antiforgery token of the collège's own comment form: the request is genuine, the role is not.
        using var response = await browser.PostAsync($"{TicketPage}?handler=Avancement", Form(AntiforgeryToken(page), "resolved", "C'est réparé."));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("<h1>Accès refusé</h1>"));
        Assert.That(Intake.LogEntries.Any(e => e.RequestMessage.Method == "POST"), Is.False, "nothing reaches intake");
    }

    [Test]
    public async Task An_administrator_gets_no_form_on_a_GLPI_ticket()
    {
        Intake.Given(Request.Create().WithPath($"/api/v1/tickets/{Fakes.TicketId}").UsingGet()).RespondWith(Fakes.Json(Fakes.Ticket()));
        using var browser = Portal.BrowserFor(TestIdentity.Admin);

        var html = await browser.GetStringAsync(TicketPage);

        Assert.That(html, Does.Not.Contain("id=\"avancement\""), "GLPI and iTop report themselves");
    }
}
