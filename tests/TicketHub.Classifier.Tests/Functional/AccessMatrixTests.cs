using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Classifier.Tests.Functional;

/// <summary>
/// Every endpoint of the classifier, as every role, on the collège's own record and another one's:
/// allowed (any answer but 401 and 403, below 500), or exactly 403, 404 or 401. One line per
/// endpoint, the rules of the README; a request without a token is 401 everywhere. Its own
/// classifier: the administrator's lines write to the registry.
/// </summary>
public sealed class AccessMatrixTests
{
    private const string Own = "0931234X";
    private const string Other = "0932101C";
    private const string Missing = "0939999Z";

    // Rewrites the rows of the sample registry as they are: the lines an administrator may send change nothing.
    private const string OwnRow = "0931234X,Collège Jean Moulin,Aubervilliers,UT1,false,2024-01-08,1972";

    /// <summary>The roles of the table's columns, in order; the collège one is bound to <see cref="Own"/>.</summary>
    private static readonly HubUser[] Users = [.. TestIdentity.OneOfEachRole(Own)];

    private enum Body
    {
        None,
        OwnCollege,
        OtherCollege,
        Csv,
        Suggestion,
    }

    /// <param name="Expected">One letter per role (college, infogerant, rectorat, omere, dispatcher, admin): <c>A</c> allowed, <c>F</c> 403, <c>N</c> 404.</param>
    private sealed record Row(string Method, string Path, Body Body, string Expected)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    //                                                                              c i r o d a
    private static readonly Row[] Table =
    [
        new("GET", "/api/v1/categories", Body.None,                                "AAAAAA"),
        new("GET", "/api/v1/ruleset", Body.None,                                   "FAAAAA"),
        new("GET", "/api/v1/colleges", Body.None,                                  "FAAAAA"),
        new("GET", $"/api/v1/colleges/{Own}", Body.None,                           "AAAAAA"),
        new("GET", $"/api/v1/colleges/{Other}", Body.None,                         "FAAAAA"),
        new("GET", $"/api/v1/colleges/{Missing}", Body.None,                       "FNNNNN"),
        new("GET", $"/api/v1/colleges/{Own}/history", Body.None,                   "FAAAAA"),
        new("GET", $"/api/v1/colleges/{Other}/history", Body.None,                 "FAAAAA"),
        new("PUT", $"/api/v1/colleges/{Own}", Body.OwnCollege,                     "FFFFFA"),
        new("PUT", $"/api/v1/colleges/{Other}", Body.OtherCollege,                 "FFFFFA"),
        new("POST", "/api/v1/colleges/import", Body.Csv,                           "FFFFFA"),
        new("POST", "/api/v1/suggestions", Body.Suggestion,                        "AAAAAA"),
    ];

    private ClassifierFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _factory = new ClassifierFactory(RepoFiles.SeedCsv);
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

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
    public void The_table_covers_every_endpoint_of_the_classifier()
    {
        var mapped = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {Normalise(e.RoutePattern.RawText!)}"))
            .ToHashSet();
        var tested = Table.Select(row => $"{row.Method} {Normalise(row.Path)}").ToHashSet();

        Assert.That(mapped, Has.Count.EqualTo(8), "the classifier maps 8 API endpoints: a new one needs its line here");
        Assert.That(mapped.Except(tested), Is.Empty, "endpoints missing from the access matrix");
    }

    /// <summary>A concrete path and a route pattern compare alike: every segment after « colleges » that is a UAI or a parameter becomes <c>{}</c>.</summary>
    private static string Normalise(string path) =>
        Regex.Replace(Regex.Replace(path.TrimEnd('/'), "{[^}]+}", "{}"), "/[0-9]{7}[A-Z]", "/{}");

    [TestCaseSource(nameof(Cases))]
    public async Task Access(int row, int column)
    {
        var line = Table[row];
        var user = column < 0 ? null : Users[column];
        using var request = new HttpRequestMessage(new HttpMethod(line.Method), line.Path) { Content = Content(line.Body) };
        if (user is not null)
        {
            request.As(user);
        }

        using var response = await _client.SendAsync(request);

        var status = (int)response.StatusCode;
        var expected = column < 0 ? 'U' : line.Expected[column];
        var answer = $"{line} as {user?.Role ?? "anonymous"}: {status} {await response.Content.ReadAsStringAsync()}";
        AccessMatrix.AssertCell(expected, status, answer);
    }

    private static HttpContent? Content(Body body) => body switch
    {
        Body.None => null,
        Body.OwnCollege => JsonContent.Create(new { name = "Collège Jean Moulin", commune = "Aubervilliers", ut = "UT1", citeMixte = false, zaRepriseDate = "2024-01-08", builtYear = 1972 }),
        Body.OtherCollege => JsonContent.Create(new { name = "Collège Pablo Neruda", commune = "Stains", ut = "UT2", citeMixte = false, zaRepriseDate = "2023-09-18", builtYear = 1998 }),
        Body.Csv => new StringContent($"uai,name,commune,ut,citeMixte,zaRepriseDate,builtYear\n{OwnRow}\n", Encoding.UTF8, "text/csv"),
        Body.Suggestion => JsonContent.Create(new { title = "Copieur du secrétariat bloqué", description = "Bourrage papier.", category = "imprimante" }),
        _ => throw new ArgumentOutOfRangeException(nameof(body)),
    };
}
