extern alias connector;

using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using connector::TicketHub.Connectors.Glpi.Forwarding;
using connector::TicketHub.Connectors.Glpi.Glpi;
using connector::TicketHub.Connectors.Glpi.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TicketHub.Connectors.Shared.Text;
using TicketHub.Contracts;

namespace TicketHub.Sandbox.Tests;

/// <summary>
/// What the GLPI connector relies on, as one set of scenarios run, with the same code, against the
/// sandbox's GLPI and against the real GLPI 10.0.11 (<see cref="RealGlpiSettings"/>): if the emulator drifts
/// from the tool, one of the two fixtures fails. Every ticket carries a reference of its own, so that
/// the scenarios can run again and again on the same real GLPI.
/// </summary>
public abstract class GlpiContract
{
    private ServiceProvider _connector = null!;

    protected static RealGlpi Fixtures => RealGlpiSettings.Current;

    private IGlpiApi Glpi => _connector.GetRequiredService<IGlpiApi>();

    /// <summary>GLPI's address and tokens.</summary>
    protected abstract (string ApiUrl, string AppToken, string UserToken) Target { get; }

    /// <summary>The handler that reaches the target (the sandbox in memory), or null for the network.</summary>
    protected abstract HttpMessageHandler? Network();

    /// <summary>The target's clock.</summary>
    protected abstract DateTimeOffset Now { get; }

    [SetUp]
    public async Task StartConnectorAsync()
    {
        await StartTargetAsync();
        var settings = Fixtures.ConnectorSettings();
        settings["Glpi:BaseUrl"] = Target.ApiUrl;
        settings["Glpi:AppToken"] = Target.AppToken;
        settings["Glpi:UserToken"] = Target.UserToken;
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddGlpiClient();
        services.AddSingleton<GlpiTicketMapper>();
        if (Network() is not null)
        {
            services.ConfigureAll<HttpClientFactoryOptions>(options =>
                options.HttpMessageHandlerBuilderActions.Add(handlers => handlers.PrimaryHandler = Network()!));
        }

        _connector = services.BuildServiceProvider();
    }

    [TearDown]
    public async Task StopConnectorAsync()
    {
        await _connector.GetRequiredService<GlpiSessionProvider>().StopAsync(CancellationToken.None);
        await _connector.DisposeAsync();
        await StopTargetAsync();
    }

    protected virtual Task StartTargetAsync() => Task.CompletedTask;

    protected virtual Task StopTargetAsync() => Task.CompletedTask;

    [Test]
    public async Task Creates_a_ticket_whose_every_mapped_field_GLPI_keeps_with_its_requester()
    {
        var college = Fixtures.Entity("0931235A");
        var routed = Routed(NewReference(), college.Uai, college.RequesterEmail);
        var requester = await new GlpiRequesters(Glpi, NullLogger<GlpiRequesters>.Instance).FindAsync(college.RequesterEmail.ToUpperInvariant(), CancellationToken.None);
        var input = Mapper.Map(routed, requester, sendExternalId: false);

        var created = await Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(input), CancellationToken.None);
        var ticket = await Glpi.GetTicketAsync(created.Id, CancellationToken.None);
        var users = await Glpi.GetTicketUsersAsync(created.Id, CancellationToken.None);

        Assert.That(requester.UserId, Is.EqualTo(college.RequesterUsersId), "the GLPI user with the requester's e-mail");
        Assert.That(WebUtility.HtmlDecode(ticket.Name), Is.EqualTo($"[{routed.Reference}] Déplacer le VPI de la salle 4 & <vite>"));
        Assert.That(ticket.EntityId, Is.EqualTo(college.EntitiesId));
        Assert.That(ticket.CategoryId, Is.EqualTo(Fixtures.Categories["Matériel"]));
        Assert.That(ticket.Type, Is.EqualTo(2));
        Assert.That(ticket.Urgency, Is.EqualTo(4));
        Assert.That(ticket.Status, Is.EqualTo(1));
        Assert.That(ticket.Content, Does.StartWith("&#60;p&#62;"), "GLPI 10 returns its text encoded once more");
        Assert.That(GlpiText.ToPlainText(ticket.Content), Does.StartWith($"Demande transmise par TicketHub, référence {routed.Reference}.")
            .And.Contain("Le VPI doit passer en salle 6 <urgent> & vite.\nMerci."));
        Assert.That(users.Select(user => (user.Type, user.UserId)), Is.EqualTo(new[] { (1, college.RequesterUsersId) }), "the requester is named");
    }

    [Test]
    public async Task Notifies_the_e_mail_of_a_requester_who_is_no_GLPI_user()
    {
        var email = $"inconnu.{Random.Shared.Next(100000, 999999)}@0931234x.example.fr";
        var requester = await new GlpiRequesters(Glpi, NullLogger<GlpiRequesters>.Instance).FindAsync(email, CancellationToken.None);

        var created = await Glpi.CreateTicketAsync(
            new GlpiInput<GlpiTicketInput>(Mapper.Map(Routed(NewReference(), "0931234X", email), requester, sendExternalId: false)), CancellationToken.None);
        var users = await Glpi.GetTicketUsersAsync(created.Id, CancellationToken.None);

        Assert.That(requester.UserId, Is.Null);
        var notified = users.Single();
        Assert.That((notified.Type, notified.UserId, notified.UseNotification, notified.AlternativeEmail), Is.EqualTo((1, 0, 1, email)));
    }

    [Test]
    public async Task Finds_a_ticket_by_its_reference_and_not_by_a_reference_it_is_the_start_of()
    {
        var reference = NewReference();
        var longer = await CreateAsync(reference + "7");
        var wanted = await CreateAsync(reference);

        Assert.That(await Glpi.FindExternalIdOptionAsync(CancellationToken.None), Is.Null, "GLPI 10 has no externalid");
        Assert.That(await Glpi.FindTicketByReferenceAsync(reference, externalIdOption: null, openedSince: null, CancellationToken.None), Is.EqualTo(wanted));
        Assert.That(await Glpi.FindTicketByReferenceAsync(reference + "7", externalIdOption: null, openedSince: null, CancellationToken.None), Is.EqualTo(longer));
        Assert.That(await Glpi.FindTicketByReferenceAsync(reference[..^1], externalIdOption: null, openedSince: null, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Finds_a_reference_past_the_first_search_page_among_tickets_it_is_the_start_of()
    {
        var reference = NewReference();
        for (var i = 10; i < 61; i++)
        {
            await CreateAsync(reference + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var wanted = await CreateAsync(reference);

        Assert.That(await Glpi.FindTicketByReferenceAsync(reference, externalIdOption: null, openedSince: null, CancellationToken.None), Is.EqualTo(wanted),
            "51 longer references fill the first page (50 rows): the exact one is on the second");
    }

    [Test]
    public async Task Finds_no_ticket_opened_a_day_or_more_before_the_first_attempt_and_this_installation_s_ticket_after_it()
    {
        var reference = NewReference();
        var earlier = await CreateOpenedAtAsync(reference, "2025-01-15 10:00:00");

        Assert.That(await Glpi.FindTicketByReferenceAsync(reference, externalIdOption: null, openedSince: Now, CancellationToken.None), Is.Null,
            "a ticket of an earlier installation of the hub, whose references started again from 1");
        Assert.That(await Glpi.FindTicketByReferenceAsync(reference, externalIdOption: null, openedSince: new DateTimeOffset(2025, 1, 15, 9, 0, 0, TimeSpan.Zero), CancellationToken.None),
            Is.EqualTo(earlier), "GLPI keeps the opening date it is given, and gives it back");
        var current = await CreateAsync(reference);
        Assert.That(await Glpi.FindTicketByReferenceAsync(reference, externalIdOption: null, openedSince: Now, CancellationToken.None), Is.EqualTo(current),
            "this installation's ticket, not the older one with the same reference");
    }

    [Test]
    public async Task Answers_a_lookup_by_externalid_with_an_empty_HTML_page_that_the_connector_must_not_read_as_not_found()
    {
        var reference = NewReference();
        await CreateAsync(reference);

        var (status, contentType, body) = await RawGetAsync($"Ticket?searchText[externalid]={reference}");

        Assert.That((status, contentType, body), Is.EqualTo((HttpStatusCode.OK, "text/html", "")));
    }

    [Test]
    public async Task Writes_a_follow_up_that_comes_back_encoded_and_reads_as_the_text_written()
    {
        var id = await CreateAsync(NewReference());
        const string Text = "L'écran <HDMI> & le PC.\nMerci d'avance.\n\nClaire";

        var added = await Glpi.AddFollowupAsync(id, new GlpiInput<GlpiFollowupInput>(new GlpiFollowupInput { ItemId = id, Content = ToolHtml.FromPlainText(Text) }), CancellationToken.None);
        var followup = (await Glpi.GetAllFollowupsAsync(id, CancellationToken.None)).Single();

        Assert.That(followup.Id, Is.EqualTo(added.Id));
        Assert.That(followup.Content, Does.StartWith("&#60;p&#62;L&#38;#39;écran &#38;lt;HDMI&#38;gt; &#38;amp;"));
        Assert.That(GlpiText.ToPlainText(followup.Content), Is.EqualTo(Text));
    }

    [Test]
    public async Task Renames_a_document_linked_on_upload_and_keeps_its_SHA_1_and_file_name()
    {
        var reference = NewReference();
        var id = await CreateAsync(reference);
        var bytes = Encoding.UTF8.GetBytes($"Relevé de la salle 4, {reference}\n");
        var attachment = new AttachmentRef(Guid.NewGuid(), "relevé salle 4.txt", "text/plain", bytes.Length, "");
        var input = new GlpiDocumentInput { Name = GlpiDocuments.Name(reference, attachment), FileNames = [attachment.FileName], ItemId = id, EntityId = 1 };

        using var upload = GlpiDocumentUpload.Create(input, attachment.FileName, attachment.ContentType, bytes);
        var uploaded = await Glpi.UploadDocumentAsync(upload, CancellationToken.None);
        var links = await Glpi.GetAllTicketDocumentLinksAsync(id, CancellationToken.None);
        var document = await Glpi.GetDocumentAsync(links.Single().DocumentId, CancellationToken.None);

        Assert.That(document.Id, Is.EqualTo(uploaded.Id));
        Assert.That(document.Name, Does.StartWith("Document : Ticket - "), "the name the hub gave is gone");
        Assert.That(document.FileName, Is.EqualTo(attachment.FileName));
        Assert.That(document.Sha1, Is.EqualTo(Convert.ToHexStringLower(SHA1.HashData(bytes))));
    }

    [Test]
    public async Task Ignores_a_date_it_cannot_parse_and_pages_as_the_connector_expects()
    {
        await CreateAsync(NewReference());
        var tomorrow = Now.AddDays(1);
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

        var none = await Glpi.SearchTicketsModifiedSinceAsync(GlpiApiExtensions.ToGlpiDate(tomorrow, paris), 0, 50, null, CancellationToken.None);
        var ignored = await Glpi.SearchTicketsModifiedSinceAsync("la semaine dernière", 0, 1, null, CancellationToken.None);
        var pastTheEnd = await Glpi.SearchTicketsModifiedSinceAsync(GlpiApiExtensions.ToGlpiDate(tomorrow, paris), 100, 50, null, CancellationToken.None);

        Assert.That((none.Total, none.Rows.Count, none.HasMore), Is.EqualTo((0, 0, false)), "nothing changed after tomorrow");
        Assert.That(ignored.Rows, Has.Count.EqualTo(1), "a date GLPI cannot parse is ignored: every ticket matches");
        Assert.That(ignored.HasMore || ignored.Total == 1, Is.True, "206 and Content-Range while more follow");
        Assert.That(pastTheEnd.Rows, Is.Empty, "a range past the end (400 ERROR_RANGE_EXCEED_TOTAL) is the end, not an error");
    }

    [Test]
    public async Task Opens_a_new_session_once_when_GLPI_says_the_session_expired()
    {
        var id = await CreateAsync(NewReference());
        var sessions = _connector.GetRequiredService<GlpiSessionProvider>();
        var token = await sessions.GetTokenAsync(CancellationToken.None);
        await _connector.GetRequiredService<IGlpiSessionApi>().KillSessionAsync(token, CancellationToken.None);

        var ticket = await Glpi.GetTicketAsync(id, CancellationToken.None);

        Assert.That(ticket.Id, Is.EqualTo(id));
        Assert.That(await sessions.GetTokenAsync(CancellationToken.None), Is.Not.EqualTo(token));
    }

    private GlpiTicketMapper Mapper => _connector.GetRequiredService<GlpiTicketMapper>();

    /// <summary>A reference of this run: TH-9xxx-nnnnnn, never given to a real ticket.</summary>
    private static string NewReference() => $"TH-9{Random.Shared.Next(100, 999)}-{Random.Shared.Next(100000, 999999)}";

    private async Task<int> CreateAsync(string reference) =>
        (await Glpi.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(Mapper.Map(Routed(reference, "0931234X", null), GlpiRequester.None, sendExternalId: false)), CancellationToken.None)).Id;

    /// <summary>A ticket as the connector would create it, but opened at <paramref name="date"/> (GLPI's <c>date</c>, its local time): one entered after the fact.</summary>
    private async Task<int> CreateOpenedAtAsync(string reference, string date)
    {
        var ticket = new GlpiInput<GlpiTicketInput>(Mapper.Map(Routed(reference, "0931234X", null), GlpiRequester.None, sendExternalId: false));
        var body = JsonSerializer.SerializeToNode(ticket, GlpiJsonContext.Default.GlpiInputGlpiTicketInput)!;
        body["input"]!["date"] = date;
        using var http = await SessionAsync();
        using var created = await http.PostAsync("Ticket", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var answer = await created.Content.ReadAsStringAsync();
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), answer);
        return JsonDocument.Parse(answer).RootElement.GetProperty("id").GetInt32();
    }

    /// <summary>A client of the target with a session of its own (App-Token and Session-Token set).</summary>
    private async Task<HttpClient> SessionAsync()
    {
        var http = Network() is { } handler ? new HttpClient(handler, disposeHandler: false) : new HttpClient();
        http.BaseAddress = new Uri(Target.ApiUrl.TrimEnd('/') + "/");
        http.DefaultRequestHeaders.Add("App-Token", Target.AppToken);
        using var login = new HttpRequestMessage(HttpMethod.Get, "initSession");
        login.Headers.TryAddWithoutValidation("Authorization", "user_token " + Target.UserToken);
        using var session = await http.SendAsync(login);
        var token = JsonDocument.Parse(await session.Content.ReadAsStringAsync()).RootElement.GetProperty("session_token").GetString()!;
        http.DefaultRequestHeaders.Add("Session-Token", token);
        return http;
    }

    /// <summary>A call the connector never makes, to show what GLPI answers: status, media type, body.</summary>
    private async Task<(HttpStatusCode Status, string? ContentType, string Body)> RawGetAsync(string path)
    {
        using var http = await SessionAsync();
        using var response = await http.GetAsync(path);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static TicketRouted Routed(string reference, string uai, string? email) => new(
        Guid.NewGuid(),
        reference,
        new DateTimeOffset(2026, 11, 20, 8, 55, 0, TimeSpan.Zero),
        new TicketDetails(
            uai,
            new Requester("Karim Benali", email ?? "", null),
            "ZP",
            "imprimante",
            "request",
            BuildingImpact: false,
            Title: "Déplacer le VPI de la salle 4 & <vite>",
            Description: "Le VPI doit passer en salle 6 <urgent> & vite.\nMerci.",
            "high",
            Location: "Salle 4",
            Equipment: "VPI"),
        new RouteDecision(RouteTargets.Infogerant, ExternalTools.Glpi, null, "R4", "93-2026.1", "Zone pédagogique : infogérant.", []),
        new CollegeSnapshot(uai, "Collège Louise Michel", "Bobigny", "UT1"),
        new DateTimeOffset(2026, 11, 20, 8, 55, 1, TimeSpan.Zero));
}

/// <summary>The contract against the sandbox's GLPI, as it plays GLPI 10 by default.</summary>
public sealed class GlpiContractAgainstSandbox : GlpiContract
{
    private SandboxApp _sandbox = null!;

    protected override (string ApiUrl, string AppToken, string UserToken) Target =>
        ("http://localhost" + SandboxApp.Api, SandboxApp.AppToken, SandboxApp.UserToken);

    protected override DateTimeOffset Now => _sandbox.Clock.Now;

    protected override HttpMessageHandler? Network() => _sandbox.Server.CreateHandler();

    protected override Task StartTargetAsync()
    {
        _sandbox = new SandboxApp();
        _ = _sandbox.Server;
        return Task.CompletedTask;
    }

    protected override async Task StopTargetAsync() => await _sandbox.DisposeAsync();
}

/// <summary>The contract against the real GLPI 10.0.11 that <c>tests/run.sh</c> keeps running.</summary>
public sealed class GlpiContractAgainstRealGlpi : GlpiContract
{
    protected override (string ApiUrl, string AppToken, string UserToken) Target =>
        (Fixtures.Api, Fixtures.AppToken, Fixtures.UserToken);

    protected override DateTimeOffset Now => DateTimeOffset.UtcNow;

    protected override HttpMessageHandler? Network() => null;
}
