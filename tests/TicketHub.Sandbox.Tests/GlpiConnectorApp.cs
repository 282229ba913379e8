extern alias connector;

using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace TicketHub.Sandbox.Tests;

/// <summary>
/// The whole GLPI connector, as it runs, talking to the sandbox's emulated GLPI (in memory): its own
/// SQLite file, MassTransit's test harness in place of RabbitMQ.
/// </summary>
/// <param name="wrap">Wraps the handler that reaches the sandbox (to count requests), or null.</param>
internal sealed class GlpiConnectorApp(SandboxApp sandbox, Dictionary<string, string?>? settings = null, Func<HttpMessageHandler, HttpMessageHandler>? wrap = null)
    : WebApplicationFactory<connector::Program>
{
    /// <summary>Where the connector reads the tickets' files; created with the app, disposed with it.</summary>
    public FakeIntake Intake { get; } = new();

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tickethub-tests", "sandbox-connector-" + Guid.NewGuid().ToString("N"));

    public string ConnectionString => $"Data Source={Path.Combine(_directory, "connectors-glpi.db")}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        var values = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = ConnectionString,
            ["Glpi:BaseUrl"] = "http://localhost/glpi/apirest.php",
            ["Glpi:PublicUrl"] = "http://localhost/glpi",
            ["Glpi:AppToken"] = SandboxApp.AppToken,
            ["Glpi:UserToken"] = SandboxApp.UserToken,
            ["Glpi:TimeZone"] = "Europe/Paris",
            ["Glpi:Mapping:Entities:0931234X"] = "12",
            ["Glpi:Sync:Enabled"] = "false",
        };
        foreach (var (key, value) in Intake.Settings())
        {
            values[key] = value;
        }

        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(values));
        builder.ConfigureTestServices(services =>
        {
            services.AddMassTransitTestHarness(bus =>
                bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: TimeSpan.FromSeconds(10)));
            // Registered last, so it runs after Refit's own configuration of each client. The reads of
            // intake's files go to the fake intake, over the network.
            services.ConfigureAll<HttpClientFactoryOptions>(options =>
                options.HttpMessageHandlerBuilderActions.Add(handlers =>
                {
                    if (handlers.Name != global::TicketHub.Connectors.Shared.Attachments.AttachmentSourceExtensions.ClientName)
                    {
                        handlers.PrimaryHandler = wrap is null ? sandbox.Server.CreateHandler() : wrap(sandbox.Server.CreateHandler());
                    }
                }));
        });
    }

    public connector::TicketHub.Connectors.Glpi.Sync.GlpiStatusSync Sync =>
        Services.GetRequiredService<connector::TicketHub.Connectors.Glpi.Sync.GlpiStatusSync>();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Intake.Dispose();
        SqliteConnection.ClearAllPools();
        TicketHub.Testing.TempFolder.Delete(_directory);
    }
}
