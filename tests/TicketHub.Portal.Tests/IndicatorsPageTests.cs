using System.Net;
using TicketHub.ServiceDefaults.Security;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace TicketHub.Portal.Tests;

/// <summary>The indicators' page: figures, each chart drawn on the server with its table, the reader's filters, the CSV.</summary>
public sealed class IndicatorsPageTests : PortalTest
{
    private static object Indicators() => new
    {
        from = "2026-11-01",
        to = "2026-12-01",
        volumes = new { received = 120, byTarget = new[] { new { key = "infogerant", count = 80 }, new { key = "pass", count = 40 } }, byRule = new[] { new { key = "R4", count = 70 } } },
        triage = new { sent = new { count = 12, of = 120, rate = 0.1 }, stillThere = 2, time = new { count = 10, medianHours = 3.5, p90Hours = 20.0 } },
        reroutes = new { rerouted = new { count = 6, of = 108, rate = 0.0556 }, byRule = new[] { new { rule = "R4", routed = 70, rerouted = 5, rate = 0.0714 } } },
        delays = new[]
        {
            new { step = "route", label = "Orientation", calendar = new { count = 120, medianHours = (double?)0.01, p90Hours = (double?)0.02 }, working = new { count = 120, medianHours = (double?)0.01, p90Hours = (double?)0.02 } },
            new { step = "resolve", label = "Résolution", calendar = new { count = 90, medianHours = (double?)30.0, p90Hours = (double?)200.0 }, working = new { count = 90, medianHours = (double?)9.0, p90Hours = (double?)60.0 } },
        },
        reopened = new { count = 3, of = 90, rate = 0.0333 },
        backlog = new { open = 25, byAge = new[] { new { key = "moins-de-2-jours", count = 10 }, new { key = "plus-de-30-jours", count = 2 } }, waitingForCollege = 4, failed = 1 },
        failures = new { attachmentsRefused = 2, failed = 1, deadLetters = (int?)null },
        visits = new { count = 3, colleges = 2, byCollege = new[] { new { key = "0931234X", count = 2 }, new { key = "0935678Z", count = 1 } } },
    };

    [Test]
    public async Task The_page_shows_the_figures_and_each_chart_with_its_table()
    {
        Intake.Given(Request.Create().WithPath("/api/v1/indicators").UsingGet()).RespondWith(Fakes.Json(Indicators()));
        using var browser = Portal.BrowserFor(TestIdentity.Dispatcher);

        var html = WebUtility.HtmlDecode(await browser.GetStringAsync("/indicateurs?du=2026-11-01&au=2026-11-30&ut=UT2"));

        Assert.That(html, Does.Contain("120</span> demandes reçues").And.Contain("10 %</span> envoyées au triage"));
        Assert.That(html, Does.Contain("role=\"img\"").And.Contain("<title id=\"delais-title\">"), "the chart is an image with a title");
        Assert.That(html, Does.Contain("id=\"table-delais\"").And.Contain("<th scope=\"row\">Résolution</th>").And.Contain("<td>30 h</td>").And.Contain("<td>8,3 j</td>"));
        Assert.That(html, Does.Contain("<th scope=\"row\">Plus de 30 jours</th><td>2</td>"));
        Assert.That(html, Does.Contain("3 visites sur la période, dans 2 collèges.").And.Contain("<th scope=\"row\">0931234X</th><td>2</td>"), "the infogérant's visits, with their table");
        Assert.That(html, Does.Contain("href=\"/indicateurs?handler=Csv&du=2026-11-01&au=2026-11-30&ut=UT2\""));
        var asked = Intake.LogEntries.Single(e => e.RequestMessage.Path == "/api/v1/indicators").RequestMessage;
        Assert.That(asked.Query!["to"].Single(), Is.EqualTo("2026-12-01"), "the page's last day is included: the API's « to » is the day after");
        Assert.That(asked.Query["ut"].Single(), Is.EqualTo("UT2"));
    }

    [Test]
    public async Task A_collège_sees_its_own_figures_without_the_filters_of_other_collèges_and_teams()
    {
        Intake.Given(Request.Create().WithPath("/api/v1/indicators").UsingGet()).RespondWith(Fakes.Json(Indicators()));
        using var browser = Portal.BrowserFor(TestIdentity.College(Fakes.College));

        var html = WebUtility.HtmlDecode(await browser.GetStringAsync($"/indicateurs?college=0935678Z&equipe=pass"));

        Assert.That(html, Does.Contain($"les demandes de votre collège ({Fakes.College})"));
        Assert.That(html, Does.Not.Contain("id=\"college\"").And.Not.Contain("id=\"equipe\""));
        var asked = Intake.LogEntries.Single(e => e.RequestMessage.Path == "/api/v1/indicators").RequestMessage;
        Assert.That(asked.Query!.ContainsKey("collegeUai") || asked.Query.ContainsKey("target"), Is.False, "never asked for another collège's or team's");
    }

    [Test]
    public async Task A_parameter_intake_refuses_is_shown_on_its_field()
    {
        Intake.Given(Request.Create().WithPath("/api/v1/indicators").UsingGet())
            .RespondWith(Fakes.Problem(HttpStatusCode.BadRequest, "Requête invalide", "Les paramètres des indicateurs contiennent des erreurs : corrigez-les.",
                new Dictionary<string, string[]> { ["from"] = ["« from » est un jour au format AAAA-MM-JJ, par exemple 2026-09-01."] }));
        using var browser = Portal.BrowserFor(TestIdentity.Admin);

        var html = WebUtility.HtmlDecode(await browser.GetStringAsync("/indicateurs?du=hier"));

        Assert.That(html, Does.Contain("id=\"du-messages\">« from » est un jour au format AAAA-MM-JJ"));
    }

    [Test]
    public async Task The_CSV_is_intakes_downloaded_through_the_portal()
    {
        Intake.Given(Request.Create().WithPath("/api/v1/indicators").WithParam("format", "csv").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "text/csv; charset=utf-8")
                .WithHeader("Content-Disposition", "attachment; filename=indicateurs-2026-11-01-2026-11-30.csv").WithBody("\uFEFFindicateur;détail;valeur\r\ndemandes reçues;;120\r\n"));
        using var browser = Portal.BrowserFor(TestIdentity.Admin);

        using var response = await browser.GetAsync("/indicateurs?handler=Csv&du=2026-11-01&au=2026-11-30");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        Assert.That(response.Content.Headers.ContentDisposition!.FileName, Does.Contain("indicateurs-2026-11-01-2026-11-30.csv"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("demandes reçues;;120"));
    }
}
