using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Classifier.Tests.Functional;

/// <summary><c>GET /api/v1/ruleset</c>: the rule set in force, as its file says it.</summary>
public sealed class RuleSetApiTests
{
    private static async Task<JsonElement> GetAsync(HubUser user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ruleset").As(user);
        using var response = await ClassifierApp.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Test]
    public async Task Shows_the_departement_version_tool_and_contacts_in_force()
    {
        var ruleSet = await GetAsync(TestIdentity.Dispatcher);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ruleSet.GetProperty("departement").GetProperty("code").GetString(), Is.EqualTo("93"));
            Assert.That(ruleSet.GetProperty("departement").GetProperty("name").GetString(), Is.EqualTo("Seine-Saint-Denis"));
            Assert.That(ruleSet.GetProperty("version").GetString(), Is.EqualTo("93-2025.1"));
            Assert.That(ruleSet.GetProperty("timeZone").GetString(), Is.EqualTo("Europe/Paris"));
            Assert.That(ruleSet.GetProperty("infogerantTool").GetString(), Is.EqualTo("glpi"));
            Assert.That(ruleSet.GetProperty("contacts").EnumerateObject().Select(c => c.Name),
                Is.EquivalentTo(new[] { "kosmos-formulaire", "kosmos-telephone", "region-cites-mixtes" }));
            Assert.That(ruleSet.GetProperty("categories").GetArrayLength(), Is.EqualTo(12));
        }
    }

    [Test]
    public async Task Lists_the_rules_in_the_order_they_are_tried_with_conditions_target_and_explanation()
    {
        var rules = (await GetAsync(TestIdentity.Admin)).GetProperty("rules").EnumerateArray().ToList();

        Assert.That(rules.Select(r => r.GetProperty("id").GetString()), Is.EqualTo(new[] { "R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8" }));
        var r1 = rules[1];
        var r4 = rules[4];
        var r5 = rules[5];
        var r7 = rules[7];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rules[0].GetProperty("when").GetRawText(), Is.EqualTo("""{"college":"unknown"}"""));
            Assert.That(r1.GetProperty("when").GetRawText(), Is.EqualTo("""{"building":true}"""));
            Assert.That((r1.GetProperty("target").GetString(), r1.GetProperty("tool").GetString(), r1.GetProperty("queue").GetString()), Is.EqualTo(("omere", "omere", "{ut}")));
            Assert.That(r4.GetProperty("tool").GetString(), Is.EqualTo("glpi"), "the infogérant's tool, resolved");
            Assert.That(r5.GetProperty("when").GetProperty("zone").GetString(), Is.EqualTo("ZA"));
            Assert.That(r5.GetProperty("when").GetProperty("zaTakenOver").GetBoolean(), Is.True);
            Assert.That(r5.GetProperty("when").GetProperty("category").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "application-metier-en" }));
            Assert.That(r5.GetProperty("explanation")[0].GetString(), Does.Contain("{repriseDate}"));
            Assert.That(r7.GetProperty("explanation").GetArrayLength(), Is.EqualTo(2));
            Assert.That(rules[2].GetProperty("explanation")[0].GetString(), Does.Contain("{contact:kosmos-formulaire}"));
            Assert.That(rules[8].GetProperty("when").GetRawText(), Is.EqualTo("""{"zone":"unknown"}"""));
        }
    }

    [Test]
    public async Task Lists_the_flags_with_their_conditions_and_warning()
    {
        var flag = (await GetAsync(TestIdentity.Dispatcher)).GetProperty("flags").EnumerateArray().Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(flag.GetProperty("flag").GetString(), Is.EqualTo("dat-amiante"));
            Assert.That(flag.GetProperty("when").GetRawText(), Is.EqualTo("""{"category":["vpi"],"type":"request","builtBefore":1997}"""));
            Assert.That(flag.GetProperty("warning")[0].GetString(), Does.Contain("amiante"));
        }
    }

    [Test]
    public async Task Another_departement_s_rule_set_and_the_tool_override_are_what_it_shows()
    {
        await using var factory = new ClassifierFactory(RepoFiles.SeedCsv, new Dictionary<string, string?>
        {
            ["Routing:RuleSet"] = RepoFiles.SansReprise,
            ["Routing:InfogerantTool"] = "glpi",
        });
        using var client = factory.ClientFor(TestIdentity.Admin);

        var ruleSet = await client.GetFromJsonAsync<JsonElement>("/api/v1/ruleset");

        Assert.That(ruleSet.GetProperty("version").GetString(), Is.EqualTo("exemple-sans-reprise-2025.1"));
        Assert.That(ruleSet.GetProperty("infogerantTool").GetString(), Is.EqualTo("glpi"), "Routing:InfogerantTool replaces the file's itop");
        Assert.That(ruleSet.GetProperty("rules")[0].GetProperty("id").GetString(), Is.EqualTo("INCONNU"));
    }

    [TestCase(HubRoles.Infogerant)]
    [TestCase(HubRoles.Rectorat)]
    [TestCase(HubRoles.Omere)]
    public async Task The_teams_that_receive_tickets_may_read_it(string role)
    {
        var user = TestIdentity.OneOfEachRole("0931234X").Single(u => u.Role == role);

        Assert.That((await GetAsync(user)).GetProperty("rules").GetArrayLength(), Is.EqualTo(9));
    }

    [Test]
    public async Task A_college_may_not_read_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ruleset").As(TestIdentity.College("0931234X"));

        using var response = await ClassifierApp.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
