using Microsoft.Playwright;

namespace TicketHub.EndToEnd.Tests.Browser;

/// <summary>The form with JavaScript switched off, and with the keyboard alone.</summary>
public sealed class FormWithoutJavaScriptTests : BrowserTest
{
    [Test]
    public async Task Without_JavaScript_the_form_shows_its_errors_then_sends_the_ticket()
    {
        var page = await NewPageAsync(javaScript: false);
        await SignInAsync(page, Secretary, "/demandes/nouvelle");
        await page.GetByLabel("En quelques mots").FillAsync("Imprimante du CDI bloquée");

        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande" }).ClickAsync();

        var summary = page.Locator("#erreurs");
        await summary.WaitForAsync();
        Assert.That(await page.TitleAsync(), Does.StartWith("Erreur : "));
        Assert.That(await summary.InnerTextAsync(), Does.Contain("Le formulaire contient 4 erreurs"));
        Assert.That(await page.Locator("#description").GetAttributeAsync("aria-invalid"), Is.EqualTo("true"));
        Assert.That(await page.Locator("#description-messages").InnerTextAsync(), Does.Contain("obligatoire"));
        Assert.That(await page.Locator("#category-messages").InnerTextAsync(), Does.Contain("Indiquez quel est le problème"));
        Assert.That(await page.GetByLabel("En quelques mots").InputValueAsync(), Is.EqualTo("Imprimante du CDI bloquée"), "what was typed is kept");
        await ScreenshotAsync(page, "formulaire-erreurs-sans-javascript");

        await ChooseAsync(page, "Imprimante ou copieur");
        await ChooseAsync(page, "Une salle de classe ou du matériel pédagogique");
        await page.GetByLabel("Description").FillAsync("Bourrage papier permanent.");
        await page.GetByLabel("Adresse électronique").FillAsync("documentaliste@ac-creteil.fr");
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande" }).ClickAsync();

        await page.Locator("#reference").WaitForAsync();
        Assert.That(await page.Locator("#reference").InnerTextAsync(), Does.Match(@"^TH-\d{4}-\d{6}$"));
        await page.Locator("#destination").WaitForAsync(new() { Timeout = 30_000 }); // meta refresh works without script
        Assert.That(await page.Locator("#destination").InnerTextAsync(), Does.Contain("infogérant"));
    }

    [Test]
    public async Task The_form_can_be_filled_and_sent_with_the_keyboard_only()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, Secretary, "/demandes/nouvelle");

        // The skip link comes first.
        await page.Keyboard.PressAsync("Tab");
        Assert.That(await ActiveAsync(page, "el => el.textContent.trim()"), Is.EqualTo("Contenu"));

        await TabToAsync(page, "category-poste-pedagogique");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "zone-ZA");
        await page.Keyboard.PressAsync("ArrowDown"); // the next radio of the group: a classroom
        Assert.That(await page.Locator("#zone-ZP").IsCheckedAsync(), Is.True);
        await TabToAsync(page, "location");
        await page.Keyboard.TypeAsync("Salle 14");
        await TabToAsync(page, "title");
        await page.Keyboard.TypeAsync("Trois ordinateurs ne démarrent plus");
        await TabToAsync(page, "description");
        await page.Keyboard.TypeAsync("Les postes 3, 7 et 9 restent sur un écran noir.");
        await TabToAsync(page, "requester-email");
        await page.Keyboard.TypeAsync("prof.techno@ac-creteil.fr");
        await TabToAsync(page, null, "Envoyer la demande");
        Assert.That(await ActiveAsync(page, "el => getComputedStyle(el).outlineStyle"), Is.Not.EqualTo("none"), "focus is visible");
        await page.Keyboard.PressAsync("Enter");

        await page.Locator("#reference").WaitForAsync();
        Assert.That(await page.Locator("#objet").InnerTextAsync(), Is.EqualTo("Trois ordinateurs ne démarrent plus"));
    }

    /// <summary>Presses Tab until the focused element has <paramref name="id"/> (or, without id, this text).</summary>
    private static async Task TabToAsync(IPage page, string? id, string? text = null)
    {
        for (var i = 0; i < 80; i++)
        {
            if (id is not null && await ActiveAsync(page, "el => el.id") == id)
            {
                return;
            }

            if (text is not null && (await ActiveAsync(page, "el => el.textContent.trim()")).StartsWith(text, StringComparison.Ordinal))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {id ?? text}: the page is not usable with the keyboard alone.");
    }

    private static Task<string> ActiveAsync(IPage page, string expression) =>
        page.EvaluateAsync<string>($"() => ({expression})(document.activeElement)");
}
