using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TicketHub.Connectors.Itop.Itop;

namespace TicketHub.Connectors.Itop.Tests;

public sealed class ItopOptionsTests
{
    private const string Api = "http://127.0.0.1:1/itop/webservices/rest.php";

    [TestCase("Itop:AuthUser", "", "Itop:AuthUser is required: set the environment variable Itop__AuthUser.")]
    [TestCase("Itop:AuthPassword", "", "Itop:AuthPassword is required: set the environment variable Itop__AuthPassword.")]
    [TestCase("Itop:BaseUrl", "", "Itop:BaseUrl is required")]
    [TestCase("Itop:BaseUrl", "itop.example/webservices/rest.php", "Itop:BaseUrl is required and must be an absolute http(s) URL")]
    [TestCase("Itop:TimeZone", "Paris", "Itop:TimeZone 'Paris' is not a known time zone")]
    [TestCase("Itop:Version", "1.0", "Itop:Version must be a REST API version of 1.1 or later")]
    [TestCase("Itop:Mapping:DefaultOrgId", "0", "Itop:Mapping:DefaultOrgId is required")]
    [TestCase("Itop:Mapping:CallerId", "0", "Itop:Mapping:CallerId is required")]
    [TestCase("Itop:Mapping:Orgs:0931234X", "-4", "Itop:Mapping: '0931234X' must map to an iTop id")]
    [TestCase("Itop:Sync:Interval", "00:00:00", "Itop:Sync:Interval must be between")]
    [TestCase("Itop:TicketClasses", "ITIL v4", "Itop:TicketClasses is 'ITIL v4'; it must be auto (ask iTop), itil (Incident and UserRequest) or simple (UserRequest only).")]
    public void Refuses_to_start_without_a_valid_setting_and_names_it(string key, string value, string message)
    {
        using var host = new ItopClientHost(Api, new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => _ = host.Get<IOptions<ItopOptions>>().Value);

        Assert.That(error!.Message, Does.Contain(message));
    }

    /// <summary>The states of iTop 3.2's ITIL lifecycles (datamodel.itop-request-mgmt-itil.xml, datamodel.itop-incident-mgmt-itil.xml).</summary>
    [TestCase("UserRequest", "new,waiting_for_approval,approved,rejected,assigned,pending,escalated_tto,escalated_ttr,resolved,closed")]
    [TestCase("Incident", "new,assigned,pending,escalated_tto,escalated_ttr,resolved,closed")]
    public async Task Maps_by_default_every_state_of_the_ITIL_lifecycle_of(string className, string states)
    {
        await using var app = new ConnectorApp();

        var mapping = app.Services.GetRequiredService<IOptions<ItopOptions>>().Value.StatusMapping;

        Assert.That(states.Split(','), Is.SubsetOf(mapping.Keys), $"{className}'s states, in appsettings.json");
    }

    [Test]
    public void Never_shows_the_password_it_validates()
    {
        using var host = new ItopClientHost(Api, new Dictionary<string, string?> { ["Itop:AuthUser"] = "", ["Itop:Version"] = "0.9" });

        var error = Assert.Throws<OptionsValidationException>(() => _ = host.Get<IOptions<ItopOptions>>().Value);

        Assert.That(error!.Message, Does.Not.Contain(FakeItop.AuthPassword));
    }

    [Test]
    public void Refuses_a_status_mapped_to_something_the_hub_does_not_know()
    {
        using var host = new ItopClientHost(Api, new Dictionary<string, string?> { ["Itop:StatusMapping:assigned"] = "en-cours" });

        var error = Assert.Throws<OptionsValidationException>(() => _ = host.Get<IOptions<ItopOptions>>().Value);

        Assert.That(error!.Message, Does.Contain("Itop:StatusMapping:assigned is 'en-cours'; a hub status is one of closed, forwarded, in-progress, resolved, waiting."));
    }

    [Test]
    public void Refuses_an_empty_status_mapping()
    {
        var result = new ItopOptionsValidator().Validate(null, new ItopOptions());

        Assert.That(result.Failures, Has.Some.StartsWith("Itop:StatusMapping is empty"));
    }

    [Test]
    public void Reads_the_mappings_whatever_the_case_of_the_keys()
    {
        using var host = new ItopClientHost(Api, new Dictionary<string, string?>
        {
            ["Itop:Mapping:DefaultOrgId"] = "3",
            ["Itop:Mapping:Orgs:0931234x"] = "12",
            ["Itop:Mapping:Callers:0931234x"] = "56",
            ["Itop:Mapping:Services:Imprimante"] = "7",
            ["Itop:Mapping:ServiceSubcategories:Imprimante"] = "71",
        });

        var mapping = host.Get<IOptions<ItopOptions>>().Value.Mapping;

        Assert.That((mapping.DefaultOrgId, mapping.Orgs["0931234X"], mapping.Callers["0931234X"], mapping.Services["imprimante"], mapping.ServiceSubcategories["imprimante"]),
            Is.EqualTo((3, 12, 56, 7, 71)));
    }

    [TestCase("incident", "vpi", 81, TestName = "Gives_an_incident_the_subcategory_for_incidents_of_its_category")]
    [TestCase("request", "vpi", 82, TestName = "Gives_a_request_the_subcategory_for_requests_of_its_category")]
    [TestCase("incident", "imprimante", 71, TestName = "Gives_an_incident_the_category_s_only_subcategory_when_no_kind_has_its_own")]
    [TestCase("request", "imprimante", 71, TestName = "Gives_a_request_the_category_s_only_subcategory_when_no_kind_has_its_own")]
    public void Chooses_the_subcategory_by_the_ticket_s_kind_first(string hubType, string category, int expected)
    {
        using var host = new ItopClientHost(Api, new Dictionary<string, string?>
        {
            ["Itop:Mapping:ServiceSubcategories:imprimante"] = "71",
            ["Itop:Mapping:ServiceSubcategories:vpi"] = "80",
            ["Itop:Mapping:IncidentSubcategories:vpi"] = "81",
            ["Itop:Mapping:RequestSubcategories:VPI"] = "82",
        });

        var mapping = host.Get<IOptions<ItopOptions>>().Value.Mapping;

        Assert.That(mapping.SubcategoryOf(category, hubType), Is.EqualTo(expected));
        Assert.That(mapping.SubcategoryOf("wifi", hubType), Is.Null, "an unmapped category leaves the field empty");
    }

    [Test]
    public void Ships_a_status_mapping_for_every_status_of_the_ITIL_user_request()
    {
        // The connector's own file in the repository: the test output folder holds one appsettings.json
        // per referenced web project, and which one wins depends on the build order.
        var settings = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(ConnectorSettingsFile()))!;
        var mapping = settings["Itop"]!["StatusMapping"]!.AsObject().ToDictionary(pair => pair.Key, pair => pair.Value!.GetValue<string>());

        Assert.That(mapping, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["new"] = "forwarded",
            ["escalated_tto"] = "in-progress",
            ["assigned"] = "in-progress",
            ["escalated_ttr"] = "in-progress",
            ["waiting_for_approval"] = "waiting",
            ["approved"] = "in-progress",
            ["rejected"] = "closed",
            ["pending"] = "waiting",
            ["resolved"] = "resolved",
            ["closed"] = "closed",
        }));
    }

    private static string ConnectorSettingsFile() =>
        Path.Combine(TicketHub.Testing.Repository.Root, "services", "Connectors", "TicketHub.Connectors.Itop", "appsettings.json");
}
