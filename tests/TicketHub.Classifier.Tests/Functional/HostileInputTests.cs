using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using TicketHub.Testing.Hostile;

namespace TicketHub.Classifier.Tests.Functional;

/// <summary>
/// Generated hostile requests against every public endpoint of the classifier (its own instance:
/// the sweep creates collèges): a status below 500, a French ProblemDetails when refused, nothing
/// stored when refused, and the registry's text returned exactly as sent (trimmed).
/// </summary>
public sealed class HostileInputTests
{
    private const string UserHeader = "X-TicketHub-User";
    private const string CsvHeader = "uai,name,commune,ut,citeMixte,zaRepriseDate,builtYear";

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "FOO"];

    private ClassifierFactory _factory = null!;
    private HttpClient _client = null!;
    private Random _random = null!;
    private HostileSweep _sweep = null!;
    private int _nextUai;

    [SetUp]
    public void SetUp()
    {
        _factory = new ClassifierFactory(RepoFiles.SeedCsv);
        _client = _factory.ClientFor(TestIdentity.Admin);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Test]
    public async Task Hostile_requests_to_every_endpoint_get_a_French_problem_below_500_and_refused_ones_store_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TICKETHUB_HOSTILE_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20261123;
        _random = new Random(seed);
        _sweep = new HostileSweep(_client, seed, SnapshotAsync);

        await ReadAsync("GET /api/v1/categories", "/api/v1/categories", 60);
        await ReadAsync("GET /api/v1/ruleset", "/api/v1/ruleset", 40);
        await ReadAsync("GET /api/v1/colleges", "/api/v1/colleges", 60);
        await GetCollegeAsync("GET /api/v1/colleges/{uai}", uai => $"/api/v1/colleges/{uai}", 150);
        await GetCollegeAsync("GET /api/v1/colleges/{uai}/history", uai => $"/api/v1/colleges/{uai}/history", 100);
        await PutCollegeAsync(500);
        await ImportAsync(400);
        await WrongMethodsAsync();

        Assert.That(_sweep.Sent, Is.GreaterThan(1_000));
        _sweep.AssertClean("classifier");
    }

    [Test]
    public async Task Markup_injections_right_to_left_text_and_emoji_are_stored_and_returned_exactly_as_sent()
    {
        var rows = new List<string>();
        for (var i = 0; i < HostileText.Valid.Count; i++)
        {
            var text = HostileText.Valid[i];
            var uai = string.Create(CultureInfo.InvariantCulture, $"{9_100_000 + i:0000000}A");
            using var put = await _client.PutAsync($"/api/v1/colleges/{uai}", new ByteArrayContent(HostileJson.Serialize(new JsonObject
            {
                ["name"] = text, ["commune"] = text, ["ut"] = "UT1", ["citeMixte"] = false,
            })) { Headers = { { "Content-Type", "application/json" } } });
            Assert.That(put.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Created), $"« {HostileRequest.Printable(text, 100)} »: {await put.Content.ReadAsStringAsync()}");
            Assert.That(await VerifyCollegeAsync(uai, (text.Trim(), text.Trim())), Is.Null);
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"{9_200_000 + i:0000000}B,{Quote(text)},{Quote(text)},UT2,true,,"));
        }

        using var import = await _client.PostAsync("/api/v1/colleges/import", new StringContent(CsvHeader + "\n" + string.Join("\n", rows), Encoding.UTF8, "text/csv"));
        Assert.That(import.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), await import.Content.ReadAsStringAsync());
        for (var i = 0; i < HostileText.Valid.Count; i++)
        {
            var text = HostileText.Valid[i].Trim();
            Assert.That(await VerifyCollegeAsync(string.Create(CultureInfo.InvariantCulture, $"{9_200_000 + i:0000000}B"), (text, text)), Is.Null);
        }
    }

    private async Task ReadAsync(string endpoint, string path, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var query = $"{Uri.EscapeDataString(HostileText.AnyValid(_random))}={Pick(HostileText.QueryValues)}&limit={Pick(HostileText.QueryValues)}";
            await _sweep.SendAsync(endpoint, new HostileRequest("query", HttpMethod.Get, $"{path}?{query}", Expected: [200]));
        }
    }

    private async Task GetCollegeAsync(string endpoint, Func<string, string> path, int count)
    {
        foreach (var uai in new[] { "0931234X", "0931234x" })
        {
            await _sweep.SendAsync(endpoint, new HostileRequest("real-uai", HttpMethod.Get, path(uai), Expected: [200]));
        }

        for (var i = 0; i < count; i++)
        {
            var (category, uai) = HostileUai();
            // Codes are read in capitals and the path's edges may be trimmed: « 0931234x » is 0931234X.
            await _sweep.SendAsync(endpoint, new HostileRequest(category, HttpMethod.Get, path(uai), Expected: [200, 404]));
        }
    }

    private async Task PutCollegeAsync(int count)
    {
        const string endpoint = "PUT /api/v1/colleges/{uai}";
        JsonField[] fields =
        [
            // Line breaks are allowed in a name (a quoted CSV field may hold one).
            new("name", FieldKind.MultiLine, 200, Required: true),
            new("commune", FieldKind.MultiLine, 100, Required: true),
            new("ut", FieldKind.Code, 3, Required: true),
            new("citeMixte", FieldKind.Boolean, Required: true),
            new("zaRepriseDate", FieldKind.Code, 10),
            new("builtYear", FieldKind.Integer),
        ];
        for (var i = 0; i < count; i++)
        {
            // A new collège half of the time, the same one again otherwise.
            var uai = _random.Next(2) == 0 ? NewUai() : "0931234X";
            var variant = HostileJson.Variant(HostileJson.NextCategory(_random), _random, ValidCollege(), fields, rejectsUnknownFields: false, bodyLimit: null, maxDepth: 64);
            var request = new HostileRequest(variant.Category, HttpMethod.Put, $"/api/v1/colleges/{uai}", variant.Body, variant.ContentType, Expected: Expect(variant.Outcome));
            await _sweep.SendAsync(endpoint, request, answer => VerifyCollegeAsync(uai, variant.Sent is null ? null : (Text(variant.Sent, "name"), Text(variant.Sent, "commune"))));
        }

        var body = HostileJson.Serialize(ValidCollege());
        for (var i = 0; i < 60; i++)
        {
            var (category, uai) = HostileUai();
            await _sweep.SendAsync(endpoint, new HostileRequest(category, HttpMethod.Put, $"/api/v1/colleges/{uai}", body, HostileJson.Json,
                Expected: category == "unknown-uai" ? [201] : [200, 404, 405, 422]));
        }

        // A forged author header, whatever it holds, is ignored: the token says who changed the collège.
        string[] users = ["' OR 1=1 --", "<script>alert(1)</script>", "\u202Eresu", "😀", new string('u', 100), "  espacé  ", "Zoë", "a" + string.Concat(Enumerable.Repeat("😀", 60)), "", "a\u0000b"];
        foreach (var user in users)
        {
            var uai = NewUai();
            await _sweep.SendAsync(endpoint, new HostileRequest("forged-user-header", HttpMethod.Put, $"/api/v1/colleges/{uai}", body, HostileJson.Json, [new(UserHeader, user)], [201]),
                async _ =>
                {
                    var history = await GetJsonAsync($"/api/v1/colleges/{uai}/history");
                    var by = history.EnumerateArray().Last().GetProperty("changedBy").GetString();
                    return by == TestIdentity.Admin.AuditName ? null : $"changedBy came back as « {HostileRequest.Printable(by ?? "", 120)} »";
                });
        }
    }

    private async Task ImportAsync(int count)
    {
        const string endpoint = "POST /api/v1/colleges/import";
        for (var i = 0; i < count; i++)
        {
            var (category, body, contentType, outcome, colleges) = CsvVariant();
            var request = new HostileRequest(category, HttpMethod.Post, "/api/v1/colleges/import", body, contentType, Expected: outcome switch
            {
                Outcome.Valid => [200],
                Outcome.Invalid or Outcome.Malformed => [422],
                Outcome.WrongContentType => [415],
                _ => null,
            });
            await _sweep.SendAsync(endpoint, request, async _ =>
            {
                foreach (var (uai, name, commune) in colleges)
                {
                    if (await VerifyCollegeAsync(uai, (name, commune)) is { } wrong)
                    {
                        return wrong;
                    }
                }

                return null;
            });
        }
    }

    private async Task WrongMethodsAsync()
    {
        (string Route, string[] Allowed)[] routes =
        [
            ("/api/v1/categories", ["GET"]),
            ("/api/v1/ruleset", ["GET"]),
            ("/api/v1/colleges", ["GET"]),
            ("/api/v1/colleges/0931234X", ["GET", "PUT"]),
            ("/api/v1/colleges/0931234X/history", ["GET"]),
            // GET and PUT /import are GET and PUT of a collège whose code is « import ».
            ("/api/v1/colleges/import", ["POST", "GET", "PUT"]),
        ];
        foreach (var (route, allowed) in routes)
        {
            foreach (var method in Methods.Except(allowed))
            {
                var body = method is "GET" or "HEAD" or "TRACE" ? null : Encoding.UTF8.GetBytes("{\"name\":\"x\"}");
                await _sweep.SendAsync("wrong methods", new HostileRequest("wrong-method", new HttpMethod(method), route, body, body is null ? null : HostileJson.Json, Expected: [405]));
            }
        }

        foreach (var route in new[] { "/api/v1/college", "/api/v2/colleges", "/api/v1/colleges/0931234X/history/1", "/api/v1/tickets", "/api/v1/%FF", "/" + new string('a', 5_000) })
        {
            await _sweep.SendAsync("unknown routes", new HostileRequest("unknown-route", HttpMethod.Get, route, Expected: [404]));
        }
    }

    /// <summary>A CSV body changed in one way, with what must come of it and the collèges it holds when valid.</summary>
    private (string Category, byte[] Body, string? ContentType, Outcome Outcome, List<(string Uai, string Name, string Commune)> Colleges) CsvVariant()
    {
        var colleges = new List<(string Uai, string Name, string Commune)>();
        string Row(string name, string commune)
        {
            var uai = NewUai();
            colleges.Add((uai, name.Trim(), commune.Trim()));
            return $"{uai},{Quote(name)},{Quote(commune)},UT{_random.Next(1, 5)},{(_random.Next(2) == 0 ? "true" : "false")},2024-01-08,1972";
        }

        string Rows(int n) => string.Join("\r\n", Enumerable.Range(0, n).Select(_ => Row(HostileText.AnyValid(_random), HostileText.AnyValid(_random))));
        const string csv = "text/csv";
        var none = new List<(string, string, string)>();
        switch (_random.Next(14))
        {
            case 0 or 1 or 2:
            {
                var text = CsvHeader + "\n" + Rows(_random.Next(1, 5));
                var outcome = colleges.All(c => c.Name.Length is > 0 and <= 200 && c.Commune.Length is > 0 and <= 100) ? Outcome.Valid : Outcome.Invalid;
                return ("hostile-text", Encoding.UTF8.GetBytes(text), csv, outcome, outcome == Outcome.Valid ? colleges : none);
            }

            case 3:
            {
                var name = HostileText.MultiLine[_random.Next(HostileText.MultiLine.Count)];
                return ("line-break-in-name", Encoding.UTF8.GetBytes(CsvHeader + "\n" + Row(name, "Pantin")), csv, Outcome.Valid, colleges);
            }

            case 4:
            {
                var name = HostileText.Controls[_random.Next(HostileText.Controls.Count)];
                return ("control-characters", Encoding.UTF8.GetBytes(CsvHeader + "\n" + Row(name, "Pantin")), csv, Outcome.Invalid, none);
            }

            case 5:
            {
                var bad = HostileText.InvalidUtf8[_random.Next(HostileText.InvalidUtf8.Count)];
                byte[] body = [.. Encoding.UTF8.GetBytes(CsvHeader + "\n" + NewUai() + ",Coll"), .. bad, .. Encoding.UTF8.GetBytes("ège,Pantin,UT1,false,,\n")];
                return ("invalid-utf8", body, csv, Outcome.Malformed, none);
            }

            case 6:
            {
                string[] broken =
                [
                    "", "\n\n", "\uFEFF", "uai,name", CsvHeader, CsvHeader + ",extra\n0931234X,a,b,UT1,false,,,x", "UAI;NAME;COMMUNE\n0931234X;a;b",
                    CsvHeader + "\n0931234X,\"non fermé,Pantin,UT1,false,,", CsvHeader + "\n0931234X,a\"b,Pantin,UT1,false,,",
                    CsvHeader + "\n0931234X,\"a\"b,Pantin,UT1,false,,", CsvHeader + "\n0931234X,a,b,UT1,false,,\n0931234X,a,b,UT1,false,,",
                    CsvHeader + "\n0931234X,a,b,UT9,peut-être,31/12/2024,1492", CsvHeader + "\n" + string.Join(',', Enumerable.Repeat("x", 1_000)),
                    "{\"uai\":\"0931234X\"}", "<colleges/>", CsvHeader + "\n,,,,,,", CsvHeader + "\n" + new string('"', 10_001),
                    "uai,uai,name,commune,ut,citeMixte,zaRepriseDate,builtYear", CsvHeader + "\n" + Row("a", "b") + "\n" + Row("", "b"),
                ];
                colleges.Clear();
                return ("malformed-csv", Encoding.UTF8.GetBytes(broken[_random.Next(broken.Length)]), csv, Outcome.Invalid, none);
            }

            case 7:
            {
                string?[] types = [null, "application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/csvx", "garbage", ";;", "application/vnd.ms-excel"];
                return ("wrong-content-type", Encoding.UTF8.GetBytes(CsvHeader + "\n" + Row("Collège", "Pantin")), types[_random.Next(types.Length)], Outcome.WrongContentType, none);
            }

            case 8:
            {
                string[] types = ["text/csv; charset=utf-8", "TEXT/CSV", "text/csv;header=present", "text/csv; charset=latin1"];
                var body = Encoding.UTF8.GetBytes(CsvHeader + "\n" + Row("Collège Évariste-Galois", "Épinay"));
                return ("content-type-parameters", body, types[_random.Next(types.Length)], Outcome.Valid, colleges);
            }

            case 9:
            {
                // UTF-8 with a byte-order mark, CR-only line ends, columns in another order, header in capitals.
                var (uai, name) = (NewUai(), HostileText.AnyValid(_random));
                colleges.Add((uai, name.Trim(), "Bobigny"));
                string[] texts =
                [
                    "\uFEFF" + CsvHeader + "\r\n" + $"{uai},{Quote(name)},Bobigny,UT2,false,,\r\n",
                    CsvHeader + "\r" + $"{uai},{Quote(name)},Bobigny,UT2,false,,\r",
                    "BUILTYEAR,UT,Name,Commune,citemixte,zarepriseDate,UAI\n" + $",UT2,{Quote(name)},Bobigny,false,,{uai}\n",
                ];
                return ("csv-dialect", Encoding.UTF8.GetBytes(texts[_random.Next(texts.Length)]), csv, name.Trim().Length is > 0 and <= 200 ? Outcome.Valid : Outcome.Invalid, colleges);
            }

            case 10:
            {
                var length = _random.Next(2) == 0 ? 201 : 1_000_000;
                return ("huge-field", Encoding.UTF8.GetBytes(CsvHeader + "\n" + Row(HostileText.Long(length, _random), "Pantin")), csv, Outcome.Invalid, none);
            }

            case 11:
            {
                // Many rows, one of them bad: nothing at all is imported.
                var text = CsvHeader + "\n" + Rows(300) + "\n" + NewUai() + ",Collège,Pantin,UT5,false,,\n";
                return ("many-rows-one-bad", Encoding.UTF8.GetBytes(text), csv, Outcome.Invalid, none);
            }

            case 12:
            {
                var garbage = new byte[_random.Next(1, 5_000)];
                _random.NextBytes(garbage);
                return ("binary", garbage, csv, Outcome.Either, none);
            }

            default:
            {
                // Formulas and injections are text like any other: escaping is the job of whoever renders them.
                var text = CsvHeader + "\n" + Row("=HYPERLINK(\"http://x\";\"clic\")", "+SUM(1;1)") + "\n" + Row("@cmd", "-2+3") + "\n" + Row("\\ud800", "' OR 1=1 --");
                return ("injection", Encoding.UTF8.GetBytes(text), csv, Outcome.Valid, colleges);
            }
        }
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private async Task<string?> VerifyCollegeAsync(string uai, (string? Name, string? Commune)? sent)
    {
        if (sent is not ({ } name, { } commune))
        {
            return null;
        }

        var college = await GetJsonAsync($"/api/v1/colleges/{uai}");
        var (storedName, storedCommune) = (college.GetProperty("name").GetString(), college.GetProperty("commune").GetString());
        return storedName != name ? $"name came back as « {HostileRequest.Printable(storedName ?? "", 200)} », sent « {HostileRequest.Printable(name, 200)} »"
            : storedCommune != commune ? $"commune came back as « {HostileRequest.Printable(storedCommune ?? "", 200)} », sent « {HostileRequest.Printable(commune, 200)} »"
            : null;
    }

    private JsonObject ValidCollege() => new()
    {
        ["name"] = "Collège Jean Moulin",
        ["commune"] = "Aubervilliers",
        ["ut"] = "UT1",
        ["citeMixte"] = false,
        ["zaRepriseDate"] = "2024-01-08",
        ["builtYear"] = 1972,
    };

    private static string? Text(JsonObject body, string name) =>
        body[name]?.GetValueKind() == JsonValueKind.String ? body[name]!.GetValue<string>().Trim() : null;

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<string> SnapshotAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath}");
        return await connection.ExecuteScalarAsync<string>("""
            SELECT (SELECT COUNT(*) FROM colleges) || ' colleges, ' || (SELECT COUNT(*) FROM college_audit) || ' audit entries, last change '
                || (SELECT IFNULL(MAX(updated_at), '') FROM colleges)
            """) ?? "";
    }

    private static IReadOnlyCollection<int>? Expect(Outcome outcome) => outcome switch
    {
        Outcome.Valid => [200, 201],
        Outcome.Invalid => [400, 422],
        Outcome.Malformed => [400],
        Outcome.WrongContentType => [415],
        Outcome.Rejected => [400, 422],
        _ => null,
    };

    /// <summary>A UAI no collège has yet: 9 and a counter (the seed file has 093…).</summary>
    private string NewUai() => string.Create(CultureInfo.InvariantCulture, $"{9_000_000 + _nextUai++:0000000}{(char)('A' + _random.Next(26))}");

    private (string Category, string Uai) HostileUai() => _random.Next(5) switch
    {
        0 => ("unknown-uai", NewUai()),
        1 => ("long-uai", HostileText.Long(_random.Next(300, 10_000), _random)),
        2 => ("hostile-uai", Uri.EscapeDataString(HostileText.AnyValid(_random))),
        _ => ("hostile-uai", Pick(HostileText.PathSegments)),
    };

    private T Pick<T>(IReadOnlyList<T> values) => values[_random.Next(values.Count)];
}
