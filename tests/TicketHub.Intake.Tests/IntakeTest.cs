using System.Text;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Tests;

/// <summary>
/// A fresh intake for each test (its own database, SQLite unless the fixture says PostgreSQL;
/// MassTransit's in-memory harness), a client
/// acting as an administrator (the tests that are not about access), and the scenarios that bring
/// tickets to a given point.
/// </summary>
/// <param name="provider">The database: a fixture about what intake stores runs on each (<c>[TestFixture(DatabaseProvider.PostgreSql)]</c>).</param>
public abstract class IntakeTest(DatabaseProvider provider = DatabaseProvider.Sqlite)
{
    protected DatabaseProvider Provider => provider;

    protected IntakeFactory Factory { get; private set; } = null!;

    /// <summary>Acts as <see cref="TestIdentity.Admin"/>; a request with its own token acts as that user.</summary>
    protected HttpClient Client { get; private set; } = null!;

    private protected TicketScenarios Tickets { get; private set; } = null!;

    [SetUp]
    public void StartIntake()
    {
        Factory = new IntakeFactory(provider: provider);
        Client = Factory.ClientFor(TestIdentity.Admin);
        Tickets = new TicketScenarios(Factory, Client);
    }

    [TearDown]
    public void StopIntake()
    {
        Client.Dispose();
        Factory.Dispose();
    }

    /// <summary>POSTs <paramref name="body"/> as JSON (no body when null) as <paramref name="user"/> (no token at all when null).</summary>
    protected async Task<HttpResponseMessage> PostJsonAsync(string path, string? body, HubUser? user)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

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
