using Microsoft.Playwright;
using TicketHub.EndToEnd.Tests.Infrastructure;

namespace TicketHub.EndToEnd.Tests.Browser;

/// <summary>
/// One headless Chromium for the browser tests (Debian's <c>/usr/bin/chromium</c>: Playwright's own
/// browser download does not work on these machines), started after <see cref="HubSystem"/> and
/// driven through the gateway's address, as a person's browser is.
/// </summary>
[SetUpFixture]
public sealed class BrowserSession
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static IPlaywright? _playwright;

    public static IBrowser Browser { get; private set; } = null!;

    /// <summary>axe-core, installed by <c>npm ci</c> in tests/browser (tests/run.sh does it).</summary>
    public static string AxePath { get; } = Path.Combine(RepositoryLayout.Root, "tests", "browser", "node_modules", "axe-core", "axe.min.js");

    /// <summary>Where the screenshots go: <c>TICKETHUB_SCREENSHOTS</c>, else the test run's folder.</summary>
    public static string Screenshots { get; } = Environment.GetEnvironmentVariable("TICKETHUB_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");

    [OneTimeSetUp]
    public async Task LaunchAsync()
    {
        Assert.That(File.Exists(ChromiumPath), Is.True, $"{ChromiumPath} is missing: apt-get install chromium (tests/run.sh does).");
        Assert.That(File.Exists(AxePath), Is.True, $"{AxePath} is missing: run npm ci in tests/browser (tests/run.sh does).");
        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        TestContext.Progress.WriteLine($"Browser tests: Chromium {Browser.Version}, screenshots in {Screenshots}");
    }

    [OneTimeTearDown]
    public async Task CloseAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
