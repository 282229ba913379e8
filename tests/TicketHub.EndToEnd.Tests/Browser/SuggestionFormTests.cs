using Microsoft.Playwright;

namespace TicketHub.EndToEnd.Tests.Browser;

/// <summary>The zone a request's text suggests, shown on the form before it is sent (issue 16).</summary>
public sealed class SuggestionFormTests : BrowserTest
{
    [Test]
    public async Task A_request_whose_zone_is_unknown_is_shown_what_its_text_suggests_and_the_person_decides()
    {
        // The suggestion is the server's answer to the form, with or without script (the portal's tests
        // post it bare); here with script, which axe-core needs.
        var page = await NewPageAsync();
        await SignInAsync(page, Secretary, "/demandes/nouvelle");
        await ChooseAsync(page, "Imprimante ou copieur");
        await ChooseAsync(page, "Je ne sais pas");
        await page.GetByLabel("En quelques mots").FillAsync("Copieur du secrétariat bloqué");
        await page.GetByLabel("Description").FillAsync("Le photocopieur du secrétariat affiche un bourrage papier en permanence, impossible d'imprimer les certificats de scolarité.");
        await page.GetByLabel("Adresse électronique").FillAsync("secretariat@ac-creteil.fr");
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande" }).ClickAsync();

        var suggestion = page.Locator("#suggestion");
        await suggestion.WaitForAsync();
        Assert.That(await suggestion.InnerTextAsync(), Does.Contain("un poste ou un service de l'administration"));
        Assert.That(await page.Locator("#zone-inconnue").IsCheckedAsync(), Is.True, "the person's answer is kept until they change it");
        await CheckAccessibilityAsync(page, "le formulaire avec une suggestion");
        await ScreenshotAsync(page, "formulaire-suggestion");

        await ChooseAsync(page, "Un poste ou un service de l'administration");
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande" }).ClickAsync();

        await page.Locator("#reference").WaitForAsync();
        await page.Locator("#destination").WaitForAsync(new() { Timeout = 30_000 });
        Assert.That(await page.Locator("#destination").InnerTextAsync(), Does.Contain("infogérant"), "a ZA taken over: the infogérant");
    }
}
