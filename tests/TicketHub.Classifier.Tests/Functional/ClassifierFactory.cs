using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace TicketHub.Classifier.Tests.Functional;

/// <summary>
/// The classifier on a temporary SQLite file, with MassTransit's in-memory test harness in place of
/// RabbitMQ: no broker is needed, and the harness records what is consumed and published.
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
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddMassTransitTestHarness());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TicketHub.Testing.TempFolder.Delete(_folder);
    }
}
