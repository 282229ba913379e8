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
/// The connector's GLPI client, wired exactly as in the connector, talking to the emulator: what
/// one writes the other reads, so a local run with the sandbox behaves as it will with GLPI.
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
            options.HttpMessageHandlerBuilderActions.Add(handlers => handlers.PrimaryHandler = _sandbox.Server.CreateHandler()));
        _connector = services.BuildServiceProvider();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _connector.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Test]
    public async Task Creates_a_ticket_reads_it_back_and_finds_it_by_reference_and_by_date_mod()
    {
        var routed = Routed("TH-2026-000042", uai: "0931234X");
        var input = _connector.GetRequiredService<GlpiTicketMapper>().Map(routed);

        var created = await Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(input), CancellationToken.None);
        var ticket = await Glpi.GetTicketAsync(created.Id, CancellationToken.None);
        var found = await Glpi.FindTicketByExternalIdAsync("TH-2026-000042", CancellationToken.None);
        var modified = await Glpi.SearchTicketsModifiedSinceAsync(GlpiApiExtensions.ToGlpiDate(_sandbox.Clock.Now.AddMinutes(-1), Paris), 0, 50, CancellationToken.None);
        var notYet = await Glpi.SearchTicketsModifiedSinceAsync(GlpiApiExtensions.ToGlpiDate(_sandbox.Clock.Now.AddMinutes(1), Paris), 0, 50, CancellationToken.None);

        Assert.That(ticket.Name, Is.EqualTo(input.Name));
        Assert.That(ticket.Content, Is.EqualTo(input.Content));
        Assert.That(ticket.EntityId, Is.EqualTo(12));
        Assert.That(ticket.CategoryId, Is.EqualTo(7));
        Assert.That(ticket.Type, Is.EqualTo(2));
        Assert.That(ticket.Urgency, Is.EqualTo(4));
        Assert.That(ticket.ExternalId, Is.EqualTo("TH-2026-000042"));
        Assert.That(ticket.Status, Is.EqualTo(1));
        Assert.That(found?.Id, Is.EqualTo(created.Id));
        Assert.That(modified.Total, Is.EqualTo(1));
        var row = modified.Rows.Single();
        Assert.That(row.Id, Is.EqualTo(created.Id));
        Assert.That(row.Status, Is.EqualTo(1));
        Assert.That(row.FollowupCount, Is.Zero);
        Assert.That(row.ExternalId, Is.EqualTo("TH-2026-000042"));
        Assert.That(GlpiApiExtensions.FromGlpiDate(row.DateMod, Paris), Is.EqualTo(_sandbox.Clock.Now));
        Assert.That(notYet.Total, Is.Zero);
        Assert.That(notYet.Rows, Is.Empty);
    }

    [Test]
    public async Task Finds_the_exact_reference_among_many_similar_ones_on_a_later_page()
    {
        var mapper = _connector.GetRequiredService<GlpiTicketMapper>();
        foreach (var i in Enumerable.Range(1, 55))
        {
            await Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(mapper.Map(Routed($"TH-9-{i}"))), CancellationToken.None);
        }

        var wanted = await Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(mapper.Map(Routed("TH-9"))), CancellationToken.None);

        Assert.That((await Glpi.FindTicketByExternalIdAsync("TH-9", CancellationToken.None))?.Id, Is.EqualTo(wanted.Id));
        Assert.That(await Glpi.FindTicketByExternalIdAsync("TH-99", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Logs_in_again_when_the_sandbox_forgot_the_session()
    {
        var created = await Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(_connector.GetRequiredService<GlpiTicketMapper>().Map(Routed("TH-1"))), CancellationToken.None);
        using (var script = _sandbox.CreateClient())
        {
            (await script.DeleteAsync(new Uri("/glpi/_sandbox/sessions", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        var afterRestart = await Glpi.GetTicketAsync(created.Id, CancellationToken.None);
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(31));
        var afterIdle = await Glpi.GetTicketAsync(created.Id, CancellationToken.None);

        Assert.That(afterRestart.ExternalId, Is.EqualTo("TH-1"));
        Assert.That(afterIdle.ExternalId, Is.EqualTo("TH-1"));
    }

    [Test]
    public async Task Gets_a_refusal_of_the_sandbox_as_a_GLPI_error()
    {
        var input = _connector.GetRequiredService<GlpiTicketMapper>().Map(Routed("TH-3", uai: "0935555Z"));

        var error = await Assert.ThrowsAsync<ApiException>(() => Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(input), CancellationToken.None));

        var glpiError = GlpiError.From(error!.StatusCode, error.Content);
        Assert.That(glpiError.Code, Is.EqualTo("ERROR_GLPI_ADD"));
        Assert.That(glpiError.Message, Is.EqualTo("You don't have permission to perform this action."));
        Assert.That(glpiError.IsRefusal, Is.True);
    }

    [Test]
    public async Task Writes_and_reads_follow_ups()
    {
        var created = await Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(_connector.GetRequiredService<GlpiTicketMapper>().Map(Routed("TH-4"))), CancellationToken.None);

        await Glpi.AddFollowupAsync(created.Id, new GlpiInput<GlpiFollowupInput>(new GlpiFollowupInput { ItemId = created.Id, Content = "Précision du collège" }), CancellationToken.None);
        var followups = await Glpi.GetAllFollowupsAsync(created.Id, CancellationToken.None);

        Assert.That(followups.Select(followup => followup.Content), Is.EqualTo(new[] { "Précision du collège" }));
        Assert.That(followups[0].ItemId, Is.EqualTo(created.Id));
    }

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
