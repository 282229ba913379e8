using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Tests;

/// <summary>
/// One intake for a whole fixture (its tests share the database: each brings its own tickets or
/// reads what <see cref="SetUpDataAsync"/> made), a client acting as an administrator, the scenarios.
/// </summary>
/// <param name="provider">The database: a fixture about what intake stores runs on each (<c>[TestFixture(DatabaseProvider.PostgreSql)]</c>).</param>
public abstract class IntakeFixture(DatabaseProvider provider = DatabaseProvider.Sqlite)
{
    protected DatabaseProvider Provider => provider;

    protected IntakeFactory Factory { get; private set; } = null!;

    /// <summary>Acts as <see cref="TestIdentity.Admin"/>; a request with its own token acts as that user.</summary>
    protected HttpClient Client { get; private set; } = null!;

    private protected TicketScenarios Tickets { get; private set; } = null!;

    /// <summary>Settings added to the factory's (e.g. a lower rate limit).</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    [OneTimeSetUp]
    public async Task StartIntakeAsync()
    {
        Factory = new IntakeFactory(Settings, provider);
        Client = Factory.ClientFor(TestIdentity.Admin);
        Tickets = new TicketScenarios(Factory, Client);
        await SetUpDataAsync();
    }

    [OneTimeTearDown]
    public void StopIntake()
    {
        Client.Dispose();
        Factory.Dispose();
    }

    /// <summary>What the fixture's tests read; nothing by default.</summary>
    protected virtual Task SetUpDataAsync() => Task.CompletedTask;

    /// <summary>Sends <paramref name="request"/> as <paramref name="user"/> (without any token when null).</summary>
    protected async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HubUser? user)
    {
        if (user is not null)
        {
            return await Client.SendAsync(request.As(user));
        }

        using var anonymous = Factory.CreateClient();
        var response = await anonymous.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
