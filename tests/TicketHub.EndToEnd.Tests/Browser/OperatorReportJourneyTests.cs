using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static TicketHub.EndToEnd.Tests.HubSystem;

namespace TicketHub.EndToEnd.Tests.Browser;

/// <summary>
/// Omère runs in manual mode here, so the hub cannot read it: the building service enters the ticket
/// in Omère, confirms it, then reports from the ticket page what happened there, and the collège sees it.
/// </summary>
public sealed class OperatorReportJourneyTests : BrowserTest
{
    private static readonly TimeSpan Journey = TimeSpan.FromSeconds(60);

    [Test]
    public async Task The_building_service_confirms_a_relay_item_then_reports_it_resolved_with_a_message_that_the_college_then_sees()
    {
        var body = TicketBody(zone: "ZA", category: "poste-administratif");
        body["buildingImpact"] = true;
        body["title"] = "Le radiateur du secrétariat fuit sur la prise réseau";
        var (id, reference) = await SubmitAsync(body);
        await WaitForTicketAsync(id, t => t["route"] is JsonObject, Journey);
        var page = await NewPageAsync();
        await SignInAsync(page, OmereAgent, "/omere?ut=UT1");

        // Entered in Omère by hand, and confirmed with Omère's number.
        var card = page.Locator("article").Filter(new() { HasText = reference });
        await ReloadUntilAsync(page, card, reference, Journey);
        await card.GetByLabel("Numéro donné par l'outil").FillAsync("OM-2026-5150");
        await card.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Confirmer la saisie") }).ClickAsync();
        await page.Locator(".fr-alert--success").WaitForAsync();
        await WaitForTicketAsync(id, t => t["status"]!.GetValue<string>() == "forwarded", Journey);

        // From the queue to the ticket page, where the form is.
        await page.GotoAsync("/omere?ut=UT1");
        await page.Locator("table").GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        await page.WaitForURLAsync($"**/demandes/{id}");
        Assert.That(await page.Locator("#avancement-title").InnerTextAsync(), Is.EqualTo("Signaler l'avancement dans Omère"));
        await CheckPageAsync(page, "signaler-avancement");

        // Sent empty: the error is next to the status, and the page is still accessible.
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer l'avancement" }).ClickAsync();
        await page.Locator("#avancement-erreurs").WaitForAsync();
        Assert.That(await page.Locator("#avancement-statut-messages").InnerTextAsync(), Does.Contain("Choisissez le statut de la demande dans Omère"));
        await CheckPageAsync(page, "signaler-avancement-erreur");

        var message = $"La fuite est réparée et la prise réseau remplacée ({reference}).";
        await ChooseAsync(page, "Résolue");
        await page.GetByLabel("Message au collège").FillAsync(message);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer l'avancement" }).ClickAsync();

        await page.Locator("#avancement-enregistre").WaitForAsync();
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo($"/demandes/{id}"), "back on the ticket page (PRG)");
        Assert.That((await page.Locator("#statut").TextContentAsync())?.Trim(), Is.EqualTo("Résolue"));
        Assert.That(await page.Locator("#historique").InnerTextAsync(), Does.Contain(message).And.Contain("Réponse du service des bâtiments (Omère)"));

        // The collège's page shows it.
        var college = await NewPageAsync();
        await SignInAsync(college, Secretary, $"/demandes/{id}");
        Assert.That((await college.Locator("#statut").TextContentAsync())?.Trim(), Is.EqualTo("Résolue"));
        Assert.That(await college.Locator("#historique").InnerTextAsync(), Does.Contain(message));
        Assert.That(await college.Locator("#avancement").CountAsync(), Is.Zero, "the collège has no such form");
        await CheckPageAsync(college, "demande-resolue-omere");
    }
}
