using System.Text.RegularExpressions;
using WireMock.Server;

namespace TicketHub.Portal.Tests;

/// <summary>One portal and two fakes per test class; the fakes' answers are reset before each test.</summary>
public abstract partial class PortalTest
{
    protected WireMockServer Intake { get; private set; } = null!;

    protected WireMockServer Classifier { get; private set; } = null!;

    protected PortalFactory Portal { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartPortal()
    {
        Intake = WireMockServer.Start();
        Classifier = WireMockServer.Start();
        Portal = new PortalFactory(Intake, Classifier);
    }

    [SetUp]
    public void ResetFakes()
    {
        Intake.Reset();
        Classifier.Reset();
        Fakes.Classifier(Classifier);
    }

    [OneTimeTearDown]
    public void StopPortal()
    {
        Portal.Dispose();
        Intake.Stop();
        Classifier.Stop();
        Intake.Dispose();
        Classifier.Dispose();
    }

    /// <summary>The antiforgery token of the first form of a page.</summary>
    protected static string AntiforgeryToken(string html)
    {
        var match = TokenField().Match(html);
        Assert.That(match.Success, Is.True, "The page has no antiforgery field.");
        return System.Net.WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
