using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static TicketHub.EndToEnd.Tests.HubSystem;

namespace TicketHub.EndToEnd.Tests.Browser;

/// <summary>Each role's pages load, pass axe-core, and do their job: the triage desk, the relay confirmation.</summary>
public sealed class RolePagesTests : BrowserTest
{
    private static readonly TimeSpan Journey = TimeSpan.FromSeconds(60);

    /// <summary>Something in every queue: GLPI tickets, a PASS ticket, an Omère ticket waiting in the relay queue, a ticket in triage.</summary>
    [OneTimeSetUp]
    public async Task FillTheQueuesAsync()
    {
        var (glpiId, _) = await SubmitAsync(TicketBody());
        var other = TicketBody(uai: "0931235A", category: "wifi");
        other["title"] = "Le Wi-Fi du CDI coupe toutes les dix minutes";
        await SubmitAsync(other);
        var pass = TicketBody(zone: "ZA", category: "application-metier-en");
        pass["title"] = "STS-web ne charge plus les services";
        await SubmitAsync(pass);
        var building = TicketBody(zone: "ZA", category: "poste-administratif");
        building["buildingImpact"] = true;
        building["title"] = "Coupure électrique dans la salle serveur";
        var (omereId, _) = await SubmitAsync(building);
        var triage = NamingNoEquipment(TicketBody(zone: null, category: "autre"), "Demande à orienter pour les pages de rôle");
        var (triageId, _) = await SubmitAsync(triage);
        await WaitForTicketAsync(glpiId, t => t["external"] is JsonObject, Journey);
        await WaitForTicketAsync(omereId, t => t["route"] is JsonObject, Journey);
        await WaitForTicketAsync(triageId, t => t["status"]!.GetValue<string>() == "triage", Journey);
    }

    [TestCase(Secretary, "/", "accueil-college", "Bonjour")]
    [TestCase(Secretary, "/demandes", "mes-demandes-liste", "Mes demandes")]
    [TestCase(Technician, "/infogerant", "file-infogerant", "File de l'infogérant")]
    [TestCase(Technician, "/demandes", "demandes-infogerant", "Demandes transmises à l'infogérant")]
    [TestCase(RectoratAgent, "/rectorat", "rectorat", "Rectorat (PASS)")]
    [TestCase(OmereAgent, "/omere", "omere", "Bâtiments (Omère)")]
    [TestCase(Dispatcher, "/aiguillage", "aiguillage", "Aiguillage")]
    [TestCase(Dispatcher, "/demandes/nouvelle", "formulaire-aiguilleur", "Faire une demande")]
    [TestCase(Administrator, "/admin", "administration", "Administration")]
    [TestCase(Dispatcher, "/indicateurs", "indicateurs-pole-tie", "Indicateurs")]
    [TestCase(Technician, "/indicateurs", "indicateurs-infogerant", "Indicateurs")]
    [TestCase(Secretary, "/indicateurs", "indicateurs-college", "Indicateurs")]
    [TestCase(Administrator, "/", "accueil-admin", "Bonjour")]
    public async Task A_role_page_loads_and_has_no_serious_accessibility_violation(string login, string path, string screenshot, string heading)
    {
        var page = await NewPageAsync();
        await SignInAsync(page, login, path);

        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo(path));
        Assert.That(await page.Locator("h1").InnerTextAsync(), Does.StartWith(heading));
        Assert.That(await page.Locator("html").GetAttributeAsync("lang"), Is.EqualTo("fr"));
        await CheckPageAsync(page, screenshot);
    }

    [Test]
    public async Task The_sign_in_page_and_a_phone_sized_form_have_no_serious_accessibility_violation()
    {
        var page = await NewPageAsync(width: 375, height: 812);
        await page.GotoAsync("/");
        await CheckPageAsync(page, "connexion");

        await SignInAsync(page, Secretary, "/demandes/nouvelle");
        await CheckPageAsync(page, "formulaire-mobile");
        Assert.That(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), Is.True, "no horizontal scrolling on a phone");
    }

    [Test]
    public async Task The_dispatcher_reroutes_a_triage_ticket_from_the_desk()
    {
        var body = NamingNoEquipment(TicketBody(zone: null, category: "autre"), "Demande à orienter par le Pôle TIE");
        var (id, reference) = await SubmitAsync(body);
        await WaitForTicketAsync(id, t => t["status"]!.GetValue<string>() == "triage", Journey);
        var page = await NewPageAsync();
        await SignInAsync(page, Dispatcher, "/aiguillage");

        var card = page.Locator("article").Filter(new() { HasText = reference });
        await card.GetByLabel("Envoyer à").SelectOptionAsync("infogerant");
        await card.GetByLabel("Pourquoi").FillAsync("Tableau interactif d'une salle de classe : zone pédagogique.");
        await card.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Réorienter") }).ClickAsync();

        await page.Locator(".fr-alert--success").WaitForAsync();
        Assert.That(await page.Locator(".fr-alert--success").InnerTextAsync(), Does.Contain(reference));
        Assert.That(await page.Locator("article").Filter(new() { HasText = reference }).CountAsync(), Is.Zero, "no longer waiting");
        var ticket = await WaitForTicketAsync(id, t => t["route"]?["target"]?.GetValue<string>() == "infogerant", Journey);
        Assert.That(ticket["route"]!["rule"]!.GetValue<string>(), Is.EqualTo("MANUAL"));
        Assert.That(ticket["route"]!["explanation"]!.GetValue<string>(), Does.Contain("zone pédagogique"));
    }

    [Test]
    public async Task The_building_service_confirms_a_relay_item_with_the_number_Omere_gave()
    {
        var body = TicketBody(zone: "ZA", category: "poste-administratif");
        body["buildingImpact"] = true;
        body["title"] = "Prise réseau arrachée au secrétariat";
        var (id, reference) = await SubmitAsync(body);
        await WaitForTicketAsync(id, t => t["route"] is JsonObject, Journey);
        var page = await NewPageAsync();
        await SignInAsync(page, OmereAgent, "/omere?ut=UT1");

        var card = page.Locator("article").Filter(new() { HasText = reference });
        await ReloadUntilAsync(page, card, reference, Journey);
        await card.GetByLabel("Numéro donné par l'outil").FillAsync("OM-2026-4711");
        await card.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Confirmer la saisie") }).ClickAsync();

        await page.Locator(".fr-alert--success").WaitForAsync();
        Assert.That(await page.Locator("article").Filter(new() { HasText = reference }).CountAsync(), Is.Zero, "no longer waiting");
        var ticket = await WaitForTicketAsync(id, t => t["status"]!.GetValue<string>() == "forwarded", Journey);
        Assert.That(ticket["external"]!["id"]!.GetValue<string>(), Is.EqualTo("OM-2026-4711"));
    }

    [Test]
    public async Task The_technician_prints_a_collèges_visit_sheet_and_records_the_visit_from_it()
    {
        var body = TicketBody();
        body["title"] = "Le VPI de la salle 5 n'a plus de son";
        var (id, reference) = await SubmitAsync(body);
        await WaitForTicketAsync(id, t => t["external"] is JsonObject, Journey);
        var page = await NewPageAsync();
        await SignInAsync(page, Technician, "/visite?college=0931234X");

        Assert.That(await page.Locator("h1").InnerTextAsync(), Does.StartWith("Fiche de visite"));
        var note = page.GetByLabel($"Fait sur place pour {reference}");
        Assert.That(await note.IsVisibleAsync(), Is.True, "the ticket is on the sheet, with its box");
        await CheckPageAsync(page, "fiche-visite");

        // Printed: the menus and buttons go, the boxes stay to be filled by hand.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.That(await page.Locator(".th-menu").IsVisibleAsync(), Is.False, "no menu on paper");
        Assert.That(await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Enregistrer la visite") }).IsVisibleAsync(), Is.False);
        Assert.That(await note.IsVisibleAsync(), Is.True, "the box to write in stays on paper");
        var pdf = await page.PdfAsync(new() { Path = Path.Combine(BrowserSession.Screenshots, "fiche-visite.pdf"), Format = "A4" });
        Assert.That(pdf, Is.Not.Empty);
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        await note.FillAsync("Câble audio rebranché derrière le tableau : le son est revenu.");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Enregistrer la visite") }).ClickAsync();

        await page.Locator(".fr-alert--success").WaitForAsync();
        Assert.That(await page.Locator(".fr-alert--success").InnerTextAsync(), Does.Contain("une note ajoutée à sa demande"));
        var ticket = await WaitForTicketAsync(id, t => t["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "visit"), Journey);
        Assert.That(ticket["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "visit")!["text"]!.GetValue<string>(),
            Is.EqualTo("Câble audio rebranché derrière le tableau : le son est revenu."));
        await CheckPageAsync(page, "fiche-visite-enregistree");
    }
}
