using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TicketHub.EndToEnd.Tests.Browser;

/// <summary>
/// The e-mails of issue 15, end to end: a ticket's first mail reaches the real SMTP server, and the
/// link at its end opens, without signing in, the page where the person chooses what they receive.
/// </summary>
public sealed partial class NotificationPreferencesTests : BrowserTest
{
    [Test]
    public async Task The_link_of_a_mail_lets_the_person_choose_what_they_receive_without_signing_in()
    {
        const string address = "gestionnaire.moulin@ac-creteil.fr";
        using var response = await HubSystem.Client.PostAsJsonAsync("/api/v1/tickets", new
        {
            collegeUai = HubSystem.KnownCollege,
            requester = new { name = "Gestionnaire", email = address },
            zone = "ZA",
            category = "poste-administratif",
            type = "incident",
            buildingImpact = false,
            title = "Le poste de la gestionnaire ne démarre plus",
            description = "Écran noir au démarrage.",
            urgency = "normal",
        });
        var reference = (await response.Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>();
        var mail = await FirstMailAsync(reference, address);
        Assert.That(mail.Subject, Does.StartWith($"[{reference}] Demande enregistrée"));
        var link = PreferencesLink().Match(mail.TextBody ?? "").Groups[1].Value;
        Assert.That(link, Does.StartWith(GatewayUrl + "/notifications?adresse="), mail.TextBody);

        var page = await NewPageAsync();
        await page.GotoAsync(link);

        Assert.That(page.Url, Does.Not.Contain("/connexion"), "no account needed: the link is the proof");
        Assert.That(await page.Locator("h1").InnerTextAsync(), Is.EqualTo("Les courriels de TicketHub"));
        Assert.That(await page.Locator("#mode-immediate").IsCheckedAsync(), Is.True, "everything, by default");
        await CheckAccessibilityAsync(page, "le choix des courriels");
        // The choice's hint is part of its label (DSFR): chosen by clicking the label, as a person does.
        await page.Locator("label[for='mode-needs-answer']").ClickAsync();
        Assert.That(await page.Locator("#mode-needs-answer").IsCheckedAsync(), Is.True);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer mon choix" }).ClickAsync();

        await page.Locator("#choix-enregistre").WaitForAsync();
        Assert.That(await page.Locator("#mode-needs-answer").IsCheckedAsync(), Is.True);
        await ScreenshotAsync(page, "choix-des-courriels");

        var forged = await NewPageAsync();
        var refused = await forged.GotoAsync(Regex.Replace(link, "jeton=[^&]+", "jeton=faux"));
        Assert.That(refused!.Status, Is.EqualTo(403), "another address's link cannot be made");
    }

    private static async Task<MimeKit.MimeMessage> FirstMailAsync(string reference, string address)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            // The ticket's mails are sent in parallel: the "received" one is found by its subject, not by arriving first.
            var mail = HubSystem.Mail.Messages().FirstOrDefault(m => m.Headers["X-TicketHub-Reference"] == reference
                && m.To.Mailboxes.Any(to => to.Address == address) && (m.Subject ?? "").StartsWith($"[{reference}] Demande enregistrée", StringComparison.Ordinal));
            if (mail is not null)
            {
                return mail;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"no mail for {reference}\n{HubSystem.Logs()}");
            await Task.Delay(250);
        }
    }

    [GeneratedRegex(@"ne plus rien recevoir : (\S+)")]
    private static partial Regex PreferencesLink();
}
