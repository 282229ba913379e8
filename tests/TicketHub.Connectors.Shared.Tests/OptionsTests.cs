using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TicketHub.Connectors.Shared.Tool;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>
/// A connector with no delivery mode, or a mode without its settings, does not start, and says why.
/// The connector is composed as its Program does (<c>AddToolConnector</c>) on a plain host: a start
/// that fails inside WebApplicationFactory can surface as a disposed service provider instead of
/// its own exception, depending on timing.
/// </summary>
public sealed class OptionsTests
{
    [TestCase(null, "Pass:Delivery is required: 'http', 'email' or 'manual'.")]
    [TestCase("ftp", "Pass:Delivery is required: 'http', 'email' or 'manual'.")]
    [TestCase("http", "Pass:Http:BaseUrl is required in http mode and must be an absolute http(s) URL.")]
    [TestCase("http", "Pass:Http:ApiToken is required in http mode (environment: Pass__Http__ApiToken).")]
    [TestCase("email", "Pass:Email:Host and Pass:Email:Port are required in email mode.")]
    [TestCase("email", "Pass:Email:From and Pass:Email:To must be e-mail addresses in email mode.")]
    public async Task Refuses_to_start_naming_what_is_missing(string? delivery, string expected)
    {
        var error = await StartAsync(new Dictionary<string, string?> { ["Pass:Delivery"] = delivery });

        Assert.That(error, Is.InstanceOf<OptionsValidationException>());
        Assert.That(((OptionsValidationException)error!).Failures, Does.Contain(expected));
    }

    [Test]
    public async Task Refuses_a_status_mapping_to_something_that_is_not_a_hub_status()
    {
        var error = await StartAsync(new Dictionary<string, string?>
        {
            ["Pass:Delivery"] = "manual",
            ["Pass:StatusMapping:escalated"] = "urgent",
        });

        Assert.That(error, Is.InstanceOf<OptionsValidationException>());
        Assert.That(((OptionsValidationException)error!).Failures, Has.Some.StartsWith("Pass:StatusMapping:escalated = 'urgent' is not a hub status"));
    }

    [Test]
    public async Task Refuses_to_close_duplicates_in_a_tool_it_reaches_without_an_API()
    {
        var error = await StartAsync(new Dictionary<string, string?> { ["Pass:Delivery"] = "manual", ["Pass:CloseDuplicates"] = "true" });

        Assert.That(error, Is.InstanceOf<OptionsValidationException>());
        Assert.That(((OptionsValidationException)error!).Failures, Has.Some.StartsWith("Pass:CloseDuplicates cannot be true: PASS is reached without an API"));
    }

    [Test]
    public async Task Starts_in_manual_mode_with_nothing_else_to_configure()
    {
        var error = await StartAsync(new Dictionary<string, string?> { ["Pass:Delivery"] = "manual" });

        Assert.That(error, Is.Null);
    }

    /// <summary>Starts and stops the PASS connector with <paramref name="settings"/>; the exception the start threw, or null.</summary>
    private static async Task<Exception?> StartAsync(Dictionary<string, string?> settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tickethub-tests", "options-" + Guid.NewGuid().ToString("N"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "TicketHub.Connectors.Pass", EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "connector.db")}",
            ["RabbitMq:Host"] = "127.0.0.1",
            ["RabbitMq:Username"] = "guest",
            ["RabbitMq:Password"] = "guest",
            ["Pass:Sync:Enabled"] = "false",

            // The host's appsettings.json (copied beside the tests) points at the sandbox; a
            // deployment that leaves these keys empty:
            ["Pass:Http:BaseUrl"] = "",
            ["Pass:Email:Host"] = "",
            ["Pass:Email:From"] = "",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddToolConnector(ToolDescriptor.Pass);
        using var host = builder.Build();
        try
        {
            await host.StartAsync();
            await host.StopAsync();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TicketHub.Testing.TempFolder.Delete(folder);
        }
    }
}
