using System.Text;

namespace TicketHub.Intake.Tests;

/// <summary>
/// A fresh intake for each test (its own SQLite file, MassTransit's in-memory harness), a client,
/// and the scenarios that bring tickets to a given point.
/// </summary>
public abstract class IntakeTest
{
    protected const string UserHeader = "X-TicketHub-User";

    protected IntakeFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    private protected TicketScenarios Tickets { get; private set; } = null!;

    [SetUp]
    public void StartIntake()
    {
        Factory = new IntakeFactory();
        Client = Factory.CreateClient();
        Tickets = new TicketScenarios(Factory, Client);
    }

    [TearDown]
    public void StopIntake()
    {
        Client.Dispose();
        Factory.Dispose();
    }

    /// <summary>POSTs <paramref name="body"/> as JSON (no body when null) on behalf of <paramref name="user"/> (no user header when null).</summary>
    protected Task<HttpResponseMessage> PostJsonAsync(string path, string? body, string? user)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (user is not null)
        {
            request.Headers.Add(UserHeader, user);
        }

        return Client.SendAsync(request);
    }
}
