using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Classifier.Tests.Functional;

/// <summary>
/// The classifier on a temporary SQLite file, with MassTransit's in-memory test harness in place of
/// RabbitMQ: no broker is needed, and the harness records what is consumed and published. It trusts
/// the test stand-in for the gateway (<see cref="TestIdentity"/>).
/// </summary>
public sealed class ClassifierFactory(string seedFile, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("classifier-tests-").FullName;

    public string DatabasePath => Path.Combine(_folder, "classifier.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", $"Data Source={DatabasePath}");
        builder.UseSetting("Registry:SeedFile", seedFile);
        builder.UseSetting("Routing:RuleSet", RepoFiles.SeineSaintDenis);
        builder.UseSetting("Outbox:PollInterval", "00:00:00.100");
        foreach (var (key, value) in TestIdentity.ServiceSettings.Concat(settings ?? new Dictionary<string, string?>()))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddMassTransitTestHarness());
    }

    /// <summary>A client whose requests act as <paramref name="user"/> (a fresh token each), unless a request carries its own token.</summary>
    public HttpClient ClientFor(HubUser user) => CreateDefaultClient(new FreshTokenHandler(user));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TicketHub.Testing.TempFolder.Delete(_folder);
    }
}
