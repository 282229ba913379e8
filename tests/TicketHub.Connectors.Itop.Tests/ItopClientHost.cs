using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TicketHub.Connectors.Itop.Forwarding;
using TicketHub.Connectors.Itop.Itop;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// The connector's iTop client, install detection and mapper, wired as in the service, pointed at
/// <see cref="FakeItop"/> unless <paramref name="overrides"/> and <paramref name="services"/> say otherwise.
/// </summary>
internal sealed class ItopClientHost : IDisposable
{
    private readonly ServiceProvider _provider;

    public ItopClientHost(string apiUrl, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Itop:BaseUrl"] = apiUrl,
            ["Itop:PublicUrl"] = "https://itop.example",
            ["Itop:AuthUser"] = FakeItop.AuthUser,
            ["Itop:AuthPassword"] = FakeItop.AuthPassword,
            ["Itop:Timeout"] = "00:00:02",
            ["Itop:TicketClasses"] = "itil",
            ["Itop:Mapping:DefaultOrgId"] = "1",
            ["Itop:Mapping:CallerId"] = "34",
            ["Itop:StatusMapping:new"] = "forwarded",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        collection.AddItopClient();
        collection.AddSingleton<ItopTicketClasses>();
        collection.AddSingleton<ItopTicketMapper>();
        services?.Invoke(collection);
        _provider = collection.BuildServiceProvider(validateScopes: true);
    }

    public CapturedLogs Logs { get; } = new();

    public ItopClient Client => _provider.GetRequiredService<ItopClient>();

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public void Dispose() => _provider.Dispose();
}
