using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TicketHub.EndToEnd.Tests.Browser;

/// <summary>
/// What the browser tests share: a fresh browser context per test (its own cookies), signing in
/// on the gateway's page with a sandbox account, the accessibility check and the screenshots.
/// </summary>
public abstract partial class BrowserTest
{
    private static readonly Lazy<string> AxeSource = new(() => File.ReadAllText(BrowserSession.AxePath));

    /// <summary>Pages opened with JavaScript off: axe-core cannot run there (an evaluation waits for ever).</summary>
    private static readonly ConditionalWeakTable<IPage, object> WithoutScript = [];

    private readonly List<IBrowserContext> _contexts = [];

    public const string Secretary = "secretariat.0931234x";
    public const string OtherSecretary = "secretariat.0931235a";

    /// <summary>A second person of <see cref="Secretary"/>'s collège.</summary>
    public const string SchoolLife = "vie-scolaire.0931234x";
    public const string Technician = "technicien";
    public const string RectoratAgent = "rectorat";
    public const string OmereAgent = "omere";
    public const string Dispatcher = "aiguilleur";
    public const string Administrator = "admin";

    protected static string GatewayUrl => HubSystem.Gateway.BaseAddress.ToString().TrimEnd('/');

    [TearDown]
    public async Task CloseContextsAsync()
    {
        var failed = TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed;
        var n = 0;
        foreach (var context in _contexts)
        {
            if (failed)
            {
                foreach (var page in context.Pages)
                {
                    // What the page showed when the test failed, beside the other screenshots.
                    await ScreenshotAsync(page, $"echec-{TestContext.CurrentContext.Test.MethodName}-{++n}");
                    TestContext.Out.WriteLine($"Page {n} at failure: {page.Url}");
                }
            }

            await context.CloseAsync();
        }

        _contexts.Clear();
    }

    /// <summary>A new page in a new context: French, desktop size, JavaScript on unless said otherwise.</summary>
    protected async Task<IPage> NewPageAsync(bool javaScript = true, int width = 1280, int height = 900)
    {
        var context = await BrowserSession.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = GatewayUrl,
            Locale = "fr-FR",
            TimezoneId = "Europe/Paris",
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        if (!javaScript)
        {
            WithoutScript.Add(page, new object());
        }

        return page;
    }

    /// <summary>Opens <paramref name="path"/>, is sent to the gateway's sign-in page, signs in and comes back.</summary>
    protected static async Task SignInAsync(IPage page, string login, string path = "/")
    {
        var password = HubSystem.Identity.Users.Single(u => u.Login == login).Password;
        await page.GotoAsync(path);
        Assert.That(page.Url, Does.Contain("/connexion?retour="), "an anonymous visit goes to the sign-in page");
        await page.Locator("#login").FillAsync(login);
        await page.Locator("#password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/connexion", StringComparison.Ordinal));
    }

    /// <summary>Saves a full-page screenshot as <c>{name}.png</c> in <see cref="BrowserSession.Screenshots"/>.</summary>
    protected static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSession.Screenshots, name + ".png"), FullPage = true });

    /// <summary>
    /// axe-core on the current page: fails on any serious or critical violation, naming the rule and
    /// the elements. The portal's Content-Security-Policy refuses inline scripts, so a script tag
    /// added by <c>AddScriptTagAsync</c> would be blocked (as it should be): axe's source is run
    /// through the DevTools protocol instead, which the page's policy does not govern.
    /// </summary>
    protected static async Task CheckAccessibilityAsync(IPage page, string what)
    {
        Assert.That(WithoutScript.TryGetValue(page, out _), Is.False,
            $"axe-core runs as script: check {what} in a page with JavaScript on (in one without, the evaluation never returns).");
        if (await page.EvaluateAsync<string>("() => typeof window.axe") != "object")
        {
            await page.EvaluateAsync(AxeSource.Value);
        }

        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.impact} ${v.id}: ${v.help} → ${v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(' | ')}`);
            }
            """);
        var list = violations.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.That(list, Is.Empty, $"axe-core on {what} ({page.Url}):\n" + string.Join("\n", list));
    }

    /// <summary>Screenshot, then the accessibility check: what every page of these tests goes through.</summary>
    protected static async Task CheckPageAsync(IPage page, string name)
    {
        await ScreenshotAsync(page, name);
        await CheckAccessibilityAsync(page, name);
    }

    /// <summary>Reloads the page until <paramref name="locator"/> shows <paramref name="text"/> (the portal has no live updates).</summary>
    protected static async Task ReloadUntilAsync(IPage page, ILocator locator, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await locator.CountAsync() > 0 && (await locator.First.TextContentAsync() ?? "").Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"« {text} » never appeared on {page.Url} within {timeout.TotalSeconds} s.\n{HubSystem.Logs()}");
            }

            await Task.Delay(1000);
            await page.ReloadAsync();
        }
    }

    /// <summary>
    /// Chooses a radio button as a person does, by clicking its label (DSFR draws the button in the
    /// label, over the native input), then checks that it is chosen.
    /// </summary>
    protected static async Task ChooseAsync(IPage page, string label)
    {
        var input = page.GetByLabel(label, new() { Exact = true });
        var id = await input.GetAttributeAsync("id");
        await page.Locator($"label[for='{id}']").ClickAsync();
        Assert.That(await input.IsCheckedAsync(), Is.True, $"« {label} » is chosen");
    }

    /// <summary>The ticket id of a ticket page's address, <c>/demandes/{id}</c>.</summary>
    protected static string TicketIdOf(IPage page) => TicketPath().Match(page.Url).Groups[1].Value;

    /// <summary>A small PNG (the intake checks a file's type by its content).</summary>
    protected static string SamplePng()
    {
        var path = Path.Combine(Path.GetTempPath(), $"photo-vpi-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, Convert.FromBase64String(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="));
        return path;
    }

    [GeneratedRegex("/demandes/([0-9a-f-]{36})")]
    private static partial Regex TicketPath();
}
