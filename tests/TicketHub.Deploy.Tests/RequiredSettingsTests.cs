namespace TicketHub.Deploy.Tests;

/// <summary>Every setting a service needs to start on machines of its own is given, in compose and in Kubernetes.</summary>
public sealed class RequiredSettingsTests
{
    [TestCaseSource(typeof(Deployables), nameof(Deployables.Cases))]
    public void Compose_gives_the_service_every_setting_it_needs(Deployable service)
    {
        var provided = Compose.Settings(service.Name);
        var missing = RequiredSettings.For(service, provided).Where(requirement => !requirement.IsMetBy(provided)).ToList();
        Assert.That(missing, Is.Empty, $"{Compose.File}, service {service.Name}, lacks:\n  {string.Join("\n  ", missing)}");
    }

    [TestCaseSource(typeof(Deployables), nameof(Deployables.Cases))]
    public void Kubernetes_gives_the_service_every_setting_it_needs(Deployable service)
    {
        var provided = Kubernetes.Settings(service.Name);
        var missing = RequiredSettings.For(service, provided).Where(requirement => !requirement.IsMetBy(provided)).ToList();
        Assert.That(missing, Is.Empty, $"{Kubernetes.Folder}, Deployment {service.Name}, lacks:\n  {string.Join("\n  ", missing)}");
    }

    /// <summary>
    /// The requirements are read from the code by patterns: if a rewording made them match nothing, the
    /// two tests above would pass on nothing. These are settings known to stop a start when missing.
    /// </summary>
    [TestCase("gateway", "Identity:Token:SigningKeyFile", "Database:ConnectionString", "Identity:DataProtectionKeysFolder", "ReverseProxy:Clusters:intake:Destinations:primary:Address")]
    [TestCase("portal", "Services:Intake", "Services:Classifier", "Identity:Token:PublicKeyFile", "Urls")]
    [TestCase("intake", "Database:ConnectionString", "RabbitMq:Host", "RabbitMq:Username", "RabbitMq:Password", "Identity:Token:PublicKeyFile")]
    [TestCase("classifier", "Routing:RuleSet", "RabbitMq:Password", "Identity:Token:PublicKeyFile")]
    [TestCase("connectors-glpi", "Glpi:BaseUrl", "Glpi:AppToken", "Glpi:UserToken", "Intake:BaseUrl", "Intake:ApiKey", "RabbitMq:Password")]
    [TestCase("connectors-itop", "Itop:BaseUrl", "Itop:AuthUser", "Itop:AuthPassword", "Itop:Mapping:DefaultOrgId", "Itop:Mapping:CallerId", "Intake:ApiKey")]
    [TestCase("connectors-pass", "Pass:Delivery", "Pass:Http:BaseUrl", "Pass:Http:ApiToken", "Database:Provider")]
    [TestCase("connectors-omere", "Omere:Delivery", "Omere:Http:BaseUrl", "Omere:Http:ApiToken", "RabbitMq:VirtualHost")]
    public void The_requirements_read_from_the_code_include_the_settings_known_to_stop_a_start(string name, params string[] expected)
    {
        var service = Deployables.All.Single(candidate => candidate.Name == name);
        var keys = RequiredSettings.For(service, Compose.Settings(name)).SelectMany(requirement => requirement.Keys).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.That(expected.Where(key => !keys.Contains(key)), Is.Empty, $"requirements found for {name}: {string.Join(", ", keys.Order())}");
    }

    [Test]
    public void The_delivery_mode_decides_which_of_a_tool_connector_settings_are_required()
    {
        var pass = Deployables.All.Single(service => service.Name == "connectors-pass");
        var inEmailMode = RequiredSettings.For(pass, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Pass:Delivery"] = "email" })
            .SelectMany(requirement => requirement.Keys).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.That(inEmailMode, Does.Contain("Pass:Email:Host").And.Contain("Pass:Email:Port").And.Not.Contain("Pass:Http:ApiToken"));
    }

    [Test]
    public void The_gateway_needs_no_OpenID_Connect_client_unless_a_provider_is_set()
    {
        // « Identity:Oidc:ClientId is required when Identity:Oidc:Authority is set »: a condition, not a requirement.
        var gateway = Deployables.All.Single(service => service.Name == "gateway");
        var keys = RequiredSettings.For(gateway, Compose.Settings("gateway")).SelectMany(requirement => requirement.Keys);
        Assert.That(keys, Does.Not.Contain("Identity:Oidc:ClientId"));
    }

    [TestCaseSource(typeof(Deployables), nameof(Deployables.Cases))]
    public void Every_file_a_Kubernetes_setting_names_is_mounted_or_in_the_image(Deployable service)
    {
        var deployment = Kubernetes.Deployment(service.Name);
        var container = Kubernetes.MainContainer(deployment);
        var volumes = deployment.ListAt("spec", "template", "spec", "volumes").OfType<Dictionary<string, object?>>()
            .ToDictionary(volume => volume.StringAt("name") ?? "", StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (key, path) in FileSettings(Kubernetes.Settings(service.Name)))
        {
            if (InImage(path, problems, key))
            {
                continue;
            }

            var mount = container.ListAt("volumeMounts").OfType<Dictionary<string, object?>>()
                .FirstOrDefault(candidate => path == candidate.StringAt("mountPath") || path.StartsWith(candidate.StringAt("mountPath") + "/", StringComparison.Ordinal));
            if (mount is null)
            {
                problems.Add($"{key} = {path}: no volume is mounted there");
                continue;
            }

            if (path == mount.StringAt("mountPath") || key.EndsWith("Folder", StringComparison.Ordinal))
            {
                continue;
            }

            // A file in a mounted ConfigMap or Secret is one of its keys.
            var file = path[(mount.StringAt("mountPath")!.Length + 1)..];
            var volume = volumes.GetValueOrDefault(mount.StringAt("name") ?? "");
            var source = volume?.StringAt("configMap", "name") is { } configMap ? Kubernetes.Find("ConfigMap", configMap)?.StringsAt("data")
                : volume?.StringAt("secret", "secretName") is { } secret ? Kubernetes.Find("Secret", secret)?.StringsAt("stringData")
                : null;
            if (source is not null && !source.ContainsKey(file))
            {
                problems.Add($"{key} = {path}: the volume {mount.StringAt("name")} has no key {file}");
            }
        }

        Assert.That(problems, Is.Empty);
    }

    [TestCaseSource(typeof(Deployables), nameof(Deployables.Cases))]
    public void Every_file_a_compose_setting_names_is_a_secret_a_volume_or_in_the_image(Deployable service)
    {
        var definition = Compose.Service(service.Name);
        var secrets = definition.ListAt("secrets").OfType<string>().ToHashSet(StringComparer.Ordinal);
        var targets = definition.ListAt("volumes").OfType<string>().Select(volume => volume.Split(':')[1]).ToList();
        var problems = new List<string>();
        foreach (var (key, path) in FileSettings(Compose.Settings(service.Name)))
        {
            if (InImage(path, problems, key))
            {
                continue;
            }

            if (path.StartsWith("/run/secrets/", StringComparison.Ordinal))
            {
                var name = path["/run/secrets/".Length..];
                if (!secrets.Contains(name) || Compose.Document.Value.At("secrets", name) is null)
                {
                    problems.Add($"{key} = {path}: the service does not receive a secret '{name}' defined in the file");
                }
            }
            else if (!targets.Any(target => path == target || path.StartsWith(target + "/", StringComparison.Ordinal)))
            {
                problems.Add($"{key} = {path}: no volume is mounted there");
            }
        }

        Assert.That(problems, Is.Empty);
    }

    /// <summary>Settings that name a file or folder by an absolute path, and the classifier's rule set.</summary>
    private static IEnumerable<(string Key, string Path)> FileSettings(IReadOnlyDictionary<string, string> settings) =>
        settings.Where(setting => (setting.Key.EndsWith("File", StringComparison.Ordinal) || setting.Key.EndsWith("Folder", StringComparison.Ordinal)
                                   || setting.Key.Equals("Routing:RuleSet", StringComparison.OrdinalIgnoreCase))
                                  && setting.Value.StartsWith('/'))
            .Select(setting => (setting.Key, setting.Value));

    /// <summary>True when <paramref name="path"/> is in the image (/app); a rule set there must be one of deploy/rulesets, which the Dockerfile copies.</summary>
    private static bool InImage(string path, List<string> problems, string key)
    {
        if (!path.StartsWith("/app/", StringComparison.Ordinal))
        {
            return false;
        }

        if (!path.StartsWith("/app/rulesets/", StringComparison.Ordinal) || !Repository.Exists($"deploy/rulesets/{path["/app/rulesets/".Length..]}"))
        {
            problems.Add($"{key} = {path}: the image holds only the rule sets of deploy/rulesets in /app/rulesets");
        }

        return true;
    }
}
