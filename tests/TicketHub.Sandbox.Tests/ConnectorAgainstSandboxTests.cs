extern alias connector;

using connector::TicketHub.Connectors.Glpi.Forwarding;
using connector::TicketHub.Connectors.Glpi.Glpi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Refit;
using TicketHub.Contracts;

namespace TicketHub.Sandbox.Tests;

/// <summary>
/// The connector's GLPI client, wired exactly as in the connector, talking to the emulator, for what
/// only the emulator can show (its GLPI 11 mode, refusals and sessions it is told to provoke); what the
/// real GLPI does too is in <see cref="GlpiContract"/>, run against both.
/// </summary>
public sealed class ConnectorAgainstSandboxTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private SandboxApp _sandbox = null!;
    private ServiceProvider _connector = null!;

    private IGlpiApi Glpi => _connector.GetRequiredService<IGlpiApi>();

    [SetUp]
    public void SetUp()
    {
        _sandbox = new SandboxApp(new() { ["Sandbox:Glpi:ForbiddenEntities:0"] = "66" });
        _connector = Connector(_sandbox);
    }

    /// <summary>The connector's GLPI client and mapper, as the connector wires them, pointed at <paramref name="sandbox"/>.</summary>
    private static ServiceProvider Connector(SandboxApp sandbox)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Glpi:BaseUrl"] = "http://localhost/glpi/apirest.php",
            ["Glpi:PublicUrl"] = "http://localhost/glpi",
            ["Glpi:AppToken"] = SandboxApp.AppToken,
            ["Glpi:UserToken"] = SandboxApp.UserToken,
            ["Glpi:TimeZone"] = "Europe/Paris",
            ["Glpi:Mapping:Entities:0931234X"] = "12",
            ["Glpi:Mapping:Entities:0935555Z"] = "66",
            ["Glpi:Mapping:Categories:imprimante"] = "7",
        };
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddGlpiClient();
        services.AddSingleton<GlpiTicketMapper>();
        // Registered last, so it runs after Refit's own configuration of each client.
        services.ConfigureAll<HttpClientFactoryOptions>(options =>
            options.HttpMessageHandlerBuilderActions.Add(handlers => handlers.PrimaryHandler = sandbox.Server.CreateHandler()));
        return services.BuildServiceProvider();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _connector.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Test]
    public async Task Finds_the_exact_reference_among_many_similar_ones_on_a_later_page()
    {
        foreach (var i in Enumerable.Range(1, 55))
        {
            await CreateAsync(Routed($"TH-9-{i}"));
        }

        var wanted = await CreateAsync(Routed("TH-9"));

        Assert.That(await Glpi.FindTicketByReferenceAsync("TH-9", externalIdOption: null, openedSince: null, CancellationToken.None), Is.EqualTo(wanted));
        Assert.That(await Glpi.FindTicketByReferenceAsync("TH-99", externalIdOption: null, openedSince: null, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Plays_GLPI_11_when_configured_so_keeping_externalid_and_finding_tickets_by_it()
    {
        await using var glpi11 = new SandboxApp(new() { ["Sandbox:Glpi:Version"] = "11" });
        await using var connector = Connector(glpi11);
        var api = connector.GetRequiredService<IGlpiApi>();
        var routed = Routed("TH-2026-000042");

        var option = await api.FindExternalIdOptionAsync(CancellationToken.None);
        var input = Mapper.Map(routed, GlpiRequester.None, sendExternalId: option is not null) with { Name = "Titre changé par un technicien" };
        var created = await api.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(input), CancellationToken.None);
        var ticket = await api.GetTicketAsync(created.Id, CancellationToken.None);
        var found = await api.FindTicketByReferenceAsync("TH-2026-000042", option, openedSince: null, CancellationToken.None);
        var modified = await api.SearchTicketsModifiedSinceAsync(GlpiApiExtensions.ToGlpiDate(glpi11.Clock.Now.AddMinutes(-1), Paris), 0, 50, option, CancellationToken.None);

        Assert.That(option, Is.EqualTo(87));
        Assert.That(ticket.ExternalId, Is.EqualTo("TH-2026-000042"));
        Assert.That(ticket.Content, Does.StartWith("<p>"), "GLPI 11 returns its text as stored");
        Assert.That(found, Is.EqualTo(created.Id), "found by externalid though the title lost the reference");
        Assert.That(modified.Rows.Single().ExternalId, Is.EqualTo("TH-2026-000042"));
    }

    [Test]
    public async Task Logs_in_again_when_the_sandbox_forgot_the_session()
    {
        var created = await CreateAsync(Routed("TH-1"));
        using (var script = _sandbox.CreateClient())
        {
            (await script.DeleteAsync(new Uri("/glpi/_sandbox/sessions", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        var afterRestart = await Glpi.GetTicketAsync(created, CancellationToken.None);
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(31));
        var afterIdle = await Glpi.GetTicketAsync(created, CancellationToken.None);

        Assert.That(afterRestart.Name, Does.StartWith("[TH-1] "));
        Assert.That(afterIdle.Name, Does.StartWith("[TH-1] "));
    }

    [Test]
    public async Task Gets_a_refusal_of_the_sandbox_as_a_GLPI_error()
    {
        var input = Mapper.Map(Routed("TH-3", uai: "0935555Z"), GlpiRequester.None, sendExternalId: false);

        var error = await Assert.ThrowsAsync<ApiException>(() => Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(input), CancellationToken.None));

        var glpiError = GlpiError.From(error!.StatusCode, error.Content);
        Assert.That(glpiError.Code, Is.EqualTo("ERROR_GLPI_ADD"));
        Assert.That(glpiError.Message, Is.EqualTo("You don't have permission to perform this action."));
        Assert.That(glpiError.IsRefusal, Is.True);
    }

    [Test]
    public async Task Refuses_a_follow_up_whose_input_does_not_name_its_ticket_as_GLPI_10_does()
    {
        var created = await CreateAsync(Routed("TH-4"));
        using var client = await _sandbox.LogInAsync();

        using var response = await client.PostAsync(
            new Uri($"{SandboxApp.Api}/Ticket/{created}/ITILFollowup", UriKind.Relative),
            new StringContent("""{"input":{"content":"<p>Précision</p>"}}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("ERROR_GLPI_ADD"));
    }

    private GlpiTicketMapper Mapper => _connector.GetRequiredService<GlpiTicketMapper>();

    private async Task<int> CreateAsync(TicketRouted routed) =>
        (await Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(Mapper.Map(routed, GlpiRequester.None, sendExternalId: false)), CancellationToken.None)).Id;

    private static TicketRouted Routed(string reference, string uai = "0931234X") => new(
        Guid.NewGuid(),
        reference,
        new DateTimeOffset(2026, 11, 20, 8, 55, 0, TimeSpan.Zero),
        new TicketDetails(
            uai,
            new Requester("Karim Benali", "k.benali@ac-creteil.fr", null),
            "ZP",
            "imprimante",
            "request",
            BuildingImpact: false,
            Title: "Déplacer le VPI de la salle 4",
            Description: "Le VPI doit passer en salle 6 <urgent>.",
            "high",
            Location: "Salle 4",
            Equipment: "VPI"),
        new RouteDecision(RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4", "93-2026.1", "Zone pédagogique : infogérant.", ["dat-amiante"]),
        new CollegeSnapshot(uai, "Collège Louise Michel", "Bobigny", "UT1"),
        new DateTimeOffset(2026, 11, 20, 8, 55, 1, TimeSpan.Zero));
}
