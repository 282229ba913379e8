using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;
using TicketHub.Intake.Tests.Support;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Tests;

/// <summary>
/// Every endpoint of intake, as every role, on the collège's own tickets and another collège's:
/// allowed (any answer but 401 and 403, below 500), or exactly 403, 404 or 401. The table below is
/// the access rules of the README, one line per endpoint; a request without a token is 401 everywhere.
/// </summary>
public class AccessMatrixTests : IntakeFixture
{
    private const string Own = "0931234X";
    private const string Other = "0935678Z";

    /// <summary>The roles of the table's columns, in order; the collège one is bound to <see cref="Own"/>.</summary>
    private static readonly HubUser[] Users = [.. TestIdentity.OneOfEachRole(Own)];

    private enum Body
    {
        None,
        TicketOfOwnCollege,
        TicketOfOtherCollege,
        Comment,
        Reroute,
        Report,
        AckPass,
        AckOmere,
        Discard,
        Follow,
        DuplicateOfOwnInfogerant,
        ForgedPreference,
        Visit,
    }

    /// <param name="Expected">
    /// One letter per role, in the order college, infogerant, rectorat, omere, dispatcher, admin:
    /// <c>A</c> allowed, <c>F</c> 403, <c>N</c> 404.
    /// </param>
    private sealed record Row(string Method, string Path, Body Body, string Expected)
    {
        /// <summary>What a request without a token gets: 401 (<c>U</c>), except where a signed link is the proof (issue 15).</summary>
        public char Anonymous { get; init; } = 'U';

        public override string ToString() => $"{Method} {Path}{(Body is Body.TicketOfOtherCollege ? " (other collège)" : "")}";
    }

    //                                                                                              c i r o d a
    private static readonly Row[] Table =
    [
        new("POST", "/api/v1/tickets", Body.TicketOfOwnCollege,                                    "AFFFAA"),
        new("POST", "/api/v1/tickets", Body.TicketOfOtherCollege,                                  "FFFFAA"),
        new("GET", "/api/v1/tickets", Body.None,                                                   "AAAAAA"),
        new("GET", $"/api/v1/tickets?collegeUai={Other}", Body.None,                               "FAAAAA"),
        new("GET", "/api/v1/tickets?target=pass", Body.None,                                       "AFAFAA"),
        new("GET", "/api/v1/tickets/{ownInfogerant}", Body.None,                                   "AAFFAA"),
        new("GET", "/api/v1/tickets/{otherInfogerant}", Body.None,                                 "FAFFAA"),
        new("GET", "/api/v1/tickets/{ownPass}", Body.None,                                         "AFAFAA"),
        new("GET", "/api/v1/tickets/{ownOmere}", Body.None,                                        "AFFAAA"),
        new("GET", "/api/v1/tickets/{missing}", Body.None,                                         "FNNNNN"),
        new("GET", "/api/v1/tickets/{ownInfogerant}/attachments/{ownInfogerantFile}", Body.None,   "AAFFAA"),
        new("GET", "/api/v1/tickets/{otherInfogerant}/attachments/{otherInfogerantFile}", Body.None, "FAFFAA"),
        new("GET", "/api/v1/tickets/{ownPass}/attachments/{ownPassFile}", Body.None,               "AFAFAA"),
        new("GET", "/api/v1/tickets/{ownOmere}/attachments/{ownOmereFile}", Body.None,             "AFFAAA"),
        new("GET", "/api/v1/tickets/{missing}/attachments/{ownPassFile}", Body.None,               "FNNNNN"),
        new("POST", "/api/v1/tickets/{ownInfogerant}/comments", Body.Comment,                      "AFFFAA"),
        new("POST", "/api/v1/tickets/{otherInfogerant}/comments", Body.Comment,                    "FFFFAA"),
        new("POST", "/api/v1/tickets/{missing}/comments", Body.Comment,                            "FFFFNN"),
        new("POST", "/api/v1/tickets/{ownInfogerant}/followers", Body.Follow,                      "AFFFAA"),
        new("POST", "/api/v1/tickets/{otherInfogerant}/followers", Body.Follow,                    "FFFFAA"),
        new("POST", "/api/v1/tickets/{missing}/followers", Body.Follow,                            "FFFFNN"),
        new("POST", "/api/v1/tickets/{duplicate}/duplicate-of", Body.DuplicateOfOwnInfogerant,     "FAFFAA"),
        new("POST", "/api/v1/tickets/{missing}/duplicate-of", Body.DuplicateOfOwnInfogerant,       "FNNNNN"),
        new("POST", "/api/v1/tickets/{inTriage}/reroute", Body.Reroute,                            "FFFFAA"),
        // A mail's signed link, not a role, decides: a forged one is 403 for everyone, signed in or not.
        new("GET", "/api/v1/notifications/preferences?email=claire.martin@ac-creteil.fr&token=faux", Body.None, "FFFFFF") { Anonymous = 'F' },
        new("PUT", "/api/v1/notifications/preferences", Body.ForgedPreference,                     "FFFFFF") { Anonymous = 'F' },
        new("POST", "/api/v1/notifications/unsubscribe?adresse=claire.martin@ac-creteil.fr&jeton=faux", Body.None, "FFFFFF") { Anonymous = 'F' },
        new("POST", "/api/v1/tickets/{missing}/reroute", Body.Reroute,                             "FFFFNN"),
        new("GET", "/api/v1/triage", Body.None,                                                    "FFFFAA"),
        new("POST", "/api/v1/tickets/{ownPass}/external-updates", Body.Report,                     "FFAFFA"),
        new("POST", "/api/v1/tickets/{ownOmere}/external-updates", Body.Report,                    "FFFAFA"),
        new("POST", "/api/v1/tickets/{ownInfogerant}/external-updates", Body.Report,               "FFFFFA"),
        new("POST", "/api/v1/tickets/{missing}/external-updates", Body.Report,                     "FFNNFN"),
        new("GET", "/api/v1/relay", Body.None,                                                     "FFAAFA"),
        new("GET", "/api/v1/relay?tool=pass", Body.None,                                           "FFAFFA"),
        new("GET", "/api/v1/relay?tool=omere", Body.None,                                          "FFFAFA"),
        new("GET", "/api/v1/relay/{passItem}", Body.None,                                          "FFAFFA"),
        new("GET", "/api/v1/relay/{omereItem}", Body.None,                                         "FFFAFA"),
        new("GET", "/api/v1/relay/{missing}", Body.None,                                           "FFNNFN"),
        new("POST", "/api/v1/relay/{passItem}/ack", Body.AckPass,                                  "FFAFFA"),
        new("POST", "/api/v1/relay/{omereItem}/ack", Body.AckOmere,                                "FFFAFA"),
        new("GET", "/api/v1/indicators", Body.None,                                                "AAAAAA"),
        new("GET", $"/api/v1/indicators?collegeUai={Other}", Body.None,                            "FAAAAA"),
        new("GET", "/api/v1/indicators?target=pass", Body.None,                                    "AFAFAA"),
        new("GET", $"/api/v1/visits/sheet?collegeUai={Own}", Body.None,                            "FAFFAA"),
        new("PUT", "/api/v1/visits/{visit}", Body.Visit,                                           "FAFFAA"),
        new("GET", "/api/v1/admin/dead-letters", Body.None,                                        "FFFFFA"),
        new("GET", "/api/v1/admin/dead-letters/{deadLetter}", Body.None,                           "FFFFFA"),
        new("POST", "/api/v1/admin/dead-letters/{deadLetter}/replay", Body.None,                   "FFFFFA"),
        new("POST", "/api/v1/admin/dead-letters/replay", Body.None,                                "FFFFFA"),
        new("POST", "/api/v1/admin/dead-letters/{deadLetter}/discard", Body.Discard,               "FFFFFA"),
    ];

    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);

    public static IEnumerable<TestCaseData> Cases()
    {
        for (var row = 0; row < Table.Length; row++)
        {
            for (var column = 0; column < Users.Length; column++)
            {
                yield return new TestCaseData(row, column).SetArgDisplayNames(Table[row].ToString(), Users[column].Role);
            }

            yield return new TestCaseData(row, -1).SetArgDisplayNames(Table[row].ToString(), "anonymous");
        }
    }

    [Test]
    public void The_table_names_every_role_on_every_line() =>
        Assert.That(Table.Where(row => row.Expected.Length != Users.Length || row.Expected.Any(c => c is not ('A' or 'F' or 'N'))), Is.Empty);

    [Test]
    public void The_table_covers_every_endpoint_of_intake()
    {
        var mapped = Factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {Normalise(e.RoutePattern.RawText!)}"))
            .ToHashSet();
        var tested = Table.Select(row => $"{row.Method} {Normalise(row.Path.Split('?')[0])}").ToHashSet();

        Assert.That(mapped, Has.Count.EqualTo(24), "intake maps 24 API endpoints: a new one needs its line here");
        Assert.That(mapped.Except(tested), Is.Empty, "endpoints missing from the access matrix");
    }

    /// <summary>Route parameters named alike: <c>/api/v1/tickets/{x}</c> and <c>/api/v1/tickets/{id}</c> are one route.</summary>
    private static string Normalise(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path.TrimEnd('/'), "{[^}]+}", "{}");

    protected override async Task SetUpDataAsync()
    {
        var ownInfogerant = await WithFileAsync(Own);
        await Tickets.RouteAsync(ownInfogerant, RouteTargets.Infogerant, ExternalTools.Glpi);
        var otherInfogerant = await WithFileAsync(Other);
        await Tickets.RouteAsync(otherInfogerant, RouteTargets.Infogerant, ExternalTools.Glpi);
        var ownPass = await WithFileAsync(Own);
        await Tickets.RouteAsync(ownPass, RouteTargets.Pass, ExternalTools.Pass);
        await Tickets.DeliverAsync(new TicketForwarded(ownPass.Id, ownPass.Reference, ExternalTools.Pass, "PASS-1", null, TicketScenarios.T0));
        var ownOmere = await WithFileAsync(Own);
        await Tickets.RouteAsync(ownOmere, RouteTargets.Omere, ExternalTools.Omere, "UT1");
        await Tickets.DeliverAsync(new TicketForwarded(ownOmere.Id, ownOmere.Reference, ExternalTools.Omere, "OM-1", null, TicketScenarios.T0));
        var duplicate = await Tickets.ReceivedAsync(Own);
        await Tickets.RouteAsync(duplicate, RouteTargets.Infogerant, ExternalTools.Glpi);
        _ids["duplicate"] = duplicate.Id.ToString();
        var inTriage = await Tickets.ReceivedAsync(Own);
        await Tickets.RouteAsync(inTriage, RouteTargets.Triage, null);

        var passItem = new RelayItemRequested(Guid.NewGuid(), ownPass.Id, ownPass.Reference, ExternalTools.Pass, RelayItemKinds.Ticket, null, "Saisie", "Corps", null, TicketScenarios.T0);
        var omereItem = new RelayItemRequested(Guid.NewGuid(), ownOmere.Id, ownOmere.Reference, ExternalTools.Omere, RelayItemKinds.Ticket, "UT1", "Saisie", "Corps", null, TicketScenarios.T0);
        await Tickets.DeliverAsync(passItem);
        await Tickets.DeliverAsync(omereItem);
        var letter = MessageDeadLetteredConsumerTests.Letter();
        await Tickets.DeliverAsync(letter);

        foreach (var (name, ticket) in new[] { ("ownInfogerant", ownInfogerant), ("otherInfogerant", otherInfogerant), ("ownPass", ownPass), ("ownOmere", ownOmere) })
        {
            _ids[name] = ticket.Id.ToString();
            _ids[name + "File"] = (await Tickets.GetAsync(ticket.Id))["attachments"]![0]!["id"]!.GetValue<string>();
        }

        _ids["inTriage"] = inTriage.Id.ToString();
        _ids["missing"] = Guid.NewGuid().ToString();
        _ids["visit"] = Guid.NewGuid().ToString();
        _ids["passItem"] = passItem.ItemId.ToString();
        _ids["omereItem"] = omereItem.ItemId.ToString();
        _ids["deadLetter"] = letter.DeadLetterId.ToString();
    }

    private async Task<(Guid Id, string Reference)> WithFileAsync(string uai)
    {
        var body = TicketRequestParserTests.ValidBody();
        body["collegeUai"] = uai;
        using var response = await Client.PostAsync("/api/v1/tickets", new TicketFormBody().Ticket(body.ToJsonString()).File("photo.png", SampleFiles.Png).ToContent());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var accepted = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (Guid.Parse(accepted["id"]!.GetValue<string>()), accepted["reference"]!.GetValue<string>());
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Access(int row, int column)
    {
        var line = Table[row];
        var user = column < 0 ? null : Users[column];
        var path = System.Text.RegularExpressions.Regex.Replace(line.Path, "{([A-Za-z]+)}", m => _ids[m.Groups[1].Value]);
        using var request = new HttpRequestMessage(new HttpMethod(line.Method), path) { Content = Content(line.Body) };

        using var response = await SendAsync(request, user);

        var status = (int)response.StatusCode;
        var expected = column < 0 ? line.Anonymous : line.Expected[column];
        var answer = $"{line} as {user?.Role ?? "anonymous"}: {status} {await response.Content.ReadAsStringAsync()}";
        AccessMatrix.AssertCell(expected, status, answer);
    }

    private HttpContent? Content(Body body) => body switch
    {
        Body.None => null,
        Body.TicketOfOwnCollege => JsonContent.Create(Ticket(Own)),
        Body.TicketOfOtherCollege => JsonContent.Create(Ticket(Other)),
        Body.Comment => JsonContent.Create(new { text = "Précision : le VPI clignote." }),
        Body.Reroute => JsonContent.Create(new { target = "region", reason = "Cité mixte." }),
        Body.Report => JsonContent.Create(new { status = "in-progress" }),
        Body.AckPass => JsonContent.Create(new { externalId = "PASS-9" }),
        Body.AckOmere => JsonContent.Create(new { externalId = "OM-9" }),
        Body.Discard => JsonContent.Create(new { reason = "Doublon." }),
        Body.Follow => JsonContent.Create(new { text = "Le VPI de ma salle est éteint aussi." }),
        Body.DuplicateOfOwnInfogerant => JsonContent.Create(new { ticket = _ids["ownInfogerant"] }),
        Body.ForgedPreference => JsonContent.Create(new { email = "claire.martin@ac-creteil.fr", token = "faux", mode = "none" }),
        // The same visit each time: the first allowed role records it (201), the others find it recorded (200).
        Body.Visit => JsonContent.Create(new { collegeUai = Own, visitedOn = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), technician = "Karim Benali" }),
        _ => throw new ArgumentOutOfRangeException(nameof(body)),
    };

    private static JsonObject Ticket(string uai)
    {
        var body = TicketRequestParserTests.ValidBody();
        body["collegeUai"] = uai;
        return body;
    }
}
