using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace TicketHub.EndToEnd.Tests.Browser;

/// <summary>
/// One fault, one ticket (issue 16): a second person of the collège who starts reporting a fault
/// already reported is offered the open ticket and follows it; the team's tool gets one follow-up,
/// not a second ticket. With JavaScript while typing, and without it after « Envoyer la demande ».
/// </summary>
public sealed class FollowingTests : BrowserTest
{
    [Test]
    public async Task While_typing_a_second_person_is_offered_the_open_ticket_and_follows_it()
    {
        var (reference, glpiId) = await ReportedBySecretaryAsync("208");
        var page = await NewPageAsync();
        await SignInAsync(page, SchoolLife, "/demandes/nouvelle");

        await page.GetByLabel("En quelques mots").FillAsync("Vidéoprojecteur de la 208 éteint");
        await page.GetByLabel("Description").FillAsync("Le vidéoprojecteur de la salle 208 ne démarre plus, son voyant reste orange.");

        var offered = page.Locator("#semblables-direct-liste");
        await offered.WaitForAsync(new() { Timeout = 15_000 });
        Assert.That(await offered.InnerTextAsync(), Does.Contain(reference).And.Contain("Ce problème a peut-être déjà été signalé"));
        await CheckAccessibilityAsync(page, "le formulaire avec un signalement semblable");
        await ScreenshotAsync(page, "formulaire-signalement-semblable");

        await offered.GetByRole(AriaRole.Button, new() { Name = $"C'est le même problème : suivre ce signalement {reference}" }).ClickAsync();

        await page.Locator("#suivi-enregistre").WaitForAsync();
        Assert.That(await page.Locator("#reference").InnerTextAsync(), Is.EqualTo(reference), "the open ticket's page");
        Assert.That(await page.Locator("#abonnes").InnerTextAsync(), Does.Contain("Vie scolaire – Collège Jean Moulin"));
        await AssertOneFollowupAsync(reference, glpiId, "ne démarre plus");
    }

    [Test]
    public async Task Without_JavaScript_the_open_ticket_is_offered_after_sending_and_can_be_followed()
    {
        var (reference, glpiId) = await ReportedBySecretaryAsync("312");
        var page = await NewPageAsync(javaScript: false);
        await SignInAsync(page, SchoolLife, "/demandes/nouvelle");
        await ChooseAsync(page, "Vidéoprojecteur interactif (VPI/ENI)");
        await ChooseAsync(page, "Une salle de classe ou du matériel pédagogique");
        await page.GetByLabel("En quelques mots").FillAsync("Vidéoprojecteur de la 312 éteint");
        await page.GetByLabel("Description").FillAsync("Le vidéoprojecteur de la salle 312 ne démarre plus.");
        await page.GetByLabel("Adresse électronique").FillAsync("vie-scolaire@ac-creteil.fr");

        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande" }).ClickAsync();

        var offered = page.Locator("#semblables");
        await offered.WaitForAsync();
        Assert.That(await offered.InnerTextAsync(), Does.Contain(reference));
        await ScreenshotAsync(page, "formulaire-signalement-semblable-sans-javascript");
        await offered.GetByRole(AriaRole.Button, new() { Name = $"C'est le même problème : suivre ce signalement {reference}" }).ClickAsync();

        await page.Locator("#suivi-enregistre").WaitForAsync();
        Assert.That(await page.Locator("#reference").InnerTextAsync(), Is.EqualTo(reference));
        await AssertOneFollowupAsync(reference, glpiId, "salle 312");
    }

    /// <summary>The secretariat reports that room <paramref name="room"/>'s projector is off; the ticket reaches GLPI.</summary>
    private static async Task<(string Reference, string GlpiId)> ReportedBySecretaryAsync(string room)
    {
        using var response = await HubSystem.Client.PostAsJsonAsync("/api/v1/tickets", new
        {
            collegeUai = HubSystem.KnownCollege,
            requester = new { name = "Secrétariat", email = "secretariat@ac-creteil.fr" },
            zone = "ZP",
            category = "vpi",
            type = "incident",
            buildingImpact = false,
            title = $"Le vidéoprojecteur de la salle {room} ne s'allume plus",
            description = $"Le vidéoprojecteur de la salle {room} reste éteint depuis ce matin.",
            urgency = "normal",
        });
        var accepted = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That((int)response.StatusCode, Is.EqualTo(202), accepted.ToJsonString());
        var id = accepted["id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var ticket = (await HubSystem.Client.GetFromJsonAsync<JsonObject>($"/api/v1/tickets/{id}"))!;
            if (ticket["external"] is JsonObject external)
            {
                return (accepted["reference"]!.GetValue<string>(), external["id"]!.GetValue<string>());
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"never forwarded: {ticket.ToJsonString()}\n{HubSystem.Logs()}");
            await Task.Delay(250);
        }
    }

    private static async Task AssertOneFollowupAsync(string reference, string glpiId, string words)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (HubSystem.Glpi.FollowupsOn(glpiId).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        await Task.Delay(1000);
        var followups = HubSystem.Glpi.FollowupsOn(glpiId);
        Assert.That(followups, Has.Count.EqualTo(1), HubSystem.Logs());
        Assert.That(followups[0], Does.Contain("Même problème signalé").And.Contain(words));
        Assert.That(HubSystem.Glpi.CreationsFor(reference), Has.Count.EqualTo(1), "one ticket in GLPI");
    }
}
