using Microsoft.Extensions.Options;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>A connector with no delivery mode, or a mode without its settings, does not start, and says why.</summary>
public sealed class OptionsTests
{
    [TestCase(null, "Pass:Delivery is required: 'http', 'email' or 'manual'.")]
    [TestCase("ftp", "Pass:Delivery is required: 'http', 'email' or 'manual'.")]
    [TestCase("http", "Pass:Http:BaseUrl is required in http mode and must be an absolute http(s) URL.")]
    [TestCase("http", "Pass:Http:ApiToken is required in http mode (environment: Pass__Http__ApiToken).")]
    [TestCase("email", "Pass:Email:Host and Pass:Email:Port are required in email mode.")]
    [TestCase("email", "Pass:Email:From and Pass:Email:To must be e-mail addresses in email mode.")]
    public void Refuses_to_start_naming_what_is_missing(string? delivery, string expected)
    {
        // The host's appsettings.json points at the sandbox; a deployment that leaves the keys empty:
        using var app = new ConnectorApp<Program>("Pass", new Dictionary<string, string?>
        {
            ["Pass:Delivery"] = delivery,
            ["Pass:Http:BaseUrl"] = "",
            ["Pass:Email:Host"] = "",
            ["Pass:Email:From"] = "",
        });

        var error = Assert.Throws<OptionsValidationException>(() => _ = app.Services);

        Assert.That(error!.Failures, Does.Contain(expected));
    }

    [Test]
    public void Refuses_a_status_mapping_to_something_that_is_not_a_hub_status()
    {
        using var app = new ConnectorApp<Program>("Pass", new Dictionary<string, string?>
        {
            ["Pass:Delivery"] = "manual",
            ["Pass:StatusMapping:escalated"] = "urgent",
        });

        var error = Assert.Throws<OptionsValidationException>(() => _ = app.Services);

        Assert.That(error!.Failures, Has.Some.StartsWith("Pass:StatusMapping:escalated = 'urgent' is not a hub status"));
    }

    [Test]
    public void Starts_in_manual_mode_with_nothing_else_to_configure()
    {
        using var app = new ConnectorApp<Program>("Pass", new Dictionary<string, string?> { ["Pass:Delivery"] = "manual" });

        Assert.That(() => app.Services, Throws.Nothing);
    }
}
