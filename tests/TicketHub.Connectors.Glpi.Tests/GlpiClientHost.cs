using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TicketHub.Connectors.Glpi.Glpi;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>The connector's GLPI client, wired as in the service, pointed at <see cref="FakeGlpi"/>.</summary>
internal sealed class GlpiClientHost : IDisposable
{
    private readonly ServiceProvider _provider;

    public GlpiClientHost(string apiUrl, IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Glpi:BaseUrl"] = apiUrl,
            ["Glpi:PublicUrl"] = "https://glpi.example",
            ["Glpi:AppToken"] = FakeGlpi.AppToken,
            ["Glpi:UserToken"] = FakeGlpi.UserToken,
            ["Glpi:Timeout"] = "00:00:05",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddGlpiClient();
        _provider = services.BuildServiceProvider(validateScopes: true);
    }

    public CapturedLogs Logs { get; } = new();

    public IGlpiApi Api => _provider.GetRequiredService<IGlpiApi>();

    public GlpiSessionProvider Sessions => _provider.GetRequiredService<GlpiSessionProvider>();

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public void Dispose() => _provider.Dispose();
}
