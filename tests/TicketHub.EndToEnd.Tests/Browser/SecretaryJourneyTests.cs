using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static TicketHub.EndToEnd.Tests.HubSystem;

namespace TicketHub.EndToEnd.Tests.Browser;

/// <summary>A collège secretary, from the sign-in page to the technician's answer, in the browser only.</summary>
public sealed class SecretaryJourneyTests : BrowserTest
{
    private static readonly TimeSpan Journey = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_secretary_files_a_ticket_with_an_attachment_sees_its_reference_then_its_route_then_the_PASS_status_change()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, Secretary, "/demandes/nouvelle");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/demandes/nouvelle"), "back where the secretary was going");
        await CheckPageAsync(page, "formulaire");

        // A national business application in the administration of a collège whose ZA was taken
        // over: the Rectorat keeps it (R5), in PASS.
        await ChooseAsync(page, "Application métier de l'Éducation nationale (SIECLE, STS-web, Op@le…)");
        await ChooseAsync(page, "Un poste ou un service de l'administration");
        await page.GetByLabel("Où ? (facultatif)").FillAsync("Secrétariat");
        await page.GetByLabel("En quelques mots").FillAsync("SIECLE refuse la connexion du secrétariat");
        await page.GetByLabel("Description").FillAsync("Depuis ce matin, SIECLE affiche « accès refusé » au secrétariat. <b>Urgent</b> pour les inscriptions.");
        await page.GetByLabel("Adresse électronique").FillAsync("claire.martin@ac-creteil.fr");
        await page.Locator("#attachments").SetInputFilesAsync(SamplePng());
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande" }).ClickAsync();

        await page.WaitForURLAsync(url => TicketPathOf(url));
        var reference = await page.Locator("#reference").InnerTextAsync();
        Assert.That(reference, Does.Match(@"^TH-\d{4}-\d{6}$"), "the reference is shown at once");
        await ScreenshotAsync(page, "demande-envoyee");

        // The page refreshes itself (meta refresh) until the route is known: no reload here.
        await page.Locator("#destination").WaitForAsync(new() { Timeout = 30_000 });
        Assert.That(await page.Locator("#destination").InnerTextAsync(), Does.Contain("Rectorat (PASS)"));
        Assert.That(await page.Locator("#explication").InnerTextAsync(), Does.Contain("restent gérées par le Rectorat"));
        Assert.That(await page.Locator("#description").InnerTextAsync(), Does.Contain("<b>Urgent</b>"), "hostile-looking text shown as typed");
        Assert.That(await page.Locator("#pieces-jointes a").InnerTextAsync(), Does.Contain(".png"));

        // The attachment comes back through the portal.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#pieces-jointes a").First.ClickAsync());
        Assert.That(download.SuggestedFilename, Does.EndWith(".png"));

        // Forwarded to PASS, where a technician takes it and answers.
        var id = TicketIdOf(page);
        var forwarded = await WaitForTicketAsync(id, t => t["external"] is JsonObject, Journey);
        var passId = forwarded["external"]!["id"]!.GetValue<string>();
        await ReloadUntilAsync(page, page.Locator("#externe"), passId, Journey);
        await Tools.PassStatusAsync(passId, "assigned");
        var reply = $"Votre compte SIECLE est réactivé ({reference}).";
        await Tools.PassReplyAsync(passId, reply);

        await ReloadUntilAsync(page, page.Locator("#statut"), "En cours de traitement", Journey);
        await ReloadUntilAsync(page, page.Locator("#historique"), reply, Journey);
        await CheckPageAsync(page, "demande");

        // The secretary adds information from the page.
        await page.GetByLabel("Ajouter une information").FillAsync("Le problème touche aussi le poste de la principale.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer l'information" }).ClickAsync();
        await page.Locator(".fr-alert--success").WaitForAsync();
        Assert.That(await page.Locator("#historique").InnerTextAsync(), Does.Contain("Le problème touche aussi le poste de la principale."));

        // And finds the ticket in « Mes demandes ».
        await page.GotoAsync("/demandes");
        Assert.That(await page.GetByRole(AriaRole.Link, new() { Name = reference }).CountAsync(), Is.EqualTo(1));
        await CheckPageAsync(page, "mes-demandes");
    }

    [Test]
    public async Task A_college_user_cannot_open_another_college_ticket_by_changing_the_address()
    {
        var body = TicketBody(uai: "0931235A");
        body["title"] = "Demande confidentielle du collège Lucie Aubrac";
        var (id, reference) = await SubmitAsync(body);
        var page = await NewPageAsync();
        await SignInAsync(page, Secretary);

        var other = await page.GotoAsync($"/demandes/{id}");
        var otherHtml = await page.ContentAsync();
        await CheckPageAsync(page, "acces-refuse");
        var missing = await page.GotoAsync($"/demandes/{Guid.NewGuid()}");

        Assert.That(other!.Status, Is.EqualTo((int)HttpStatusCode.Forbidden));
        Assert.That(missing!.Status, Is.EqualTo((int)HttpStatusCode.Forbidden), "a ticket that does not exist looks the same");
        Assert.That(await page.Locator("h1").InnerTextAsync(), Is.EqualTo("Accès refusé"));
        Assert.That(otherHtml, Does.Not.Contain(reference).And.Not.Contain("Lucie Aubrac").And.Not.Contain("confidentielle"));

        var byReference = await page.GotoAsync($"/demandes/{reference}");
        Assert.That(byReference!.Status, Is.EqualTo((int)HttpStatusCode.Forbidden));
    }

    private static bool TicketPathOf(string url) =>
        System.Text.RegularExpressions.Regex.IsMatch(new Uri(url).AbsolutePath, "^/demandes/[0-9a-f-]{36}$");
}
