using System.Text.RegularExpressions;

namespace TicketHub.Deploy.Tests;

/// <summary>deploy/compose hangs together as far as a reading can tell (no Docker engine here to run it).</summary>
public sealed class ComposeFileTests
{
    /// <summary>The infrastructure the compose file runs beside the services.</summary>
    private static readonly string[] Infrastructure = ["rabbitmq", "postgres", "otel-collector"];

    [Test]
    public void The_compose_file_parses_and_runs_every_deployed_service_and_nothing_unknown()
    {
        var expected = Deployables.All.Select(service => service.Name).Concat(Infrastructure).Order(StringComparer.Ordinal);
        Assert.That(Compose.Services.Keys.Order(StringComparer.Ordinal), Is.EqualTo(expected));
    }

    [TestCaseSource(typeof(Deployables), nameof(Deployables.Cases))]
    public void The_service_image_is_built_from_the_one_Dockerfile_with_its_project(Deployable service)
    {
        var definition = Compose.Service(service.Name);
        Assert.That(definition.StringAt("build", "context"), Is.EqualTo("../.."), "the build context is the repository's root");
        Assert.That(definition.StringAt("build", "dockerfile"), Is.EqualTo(Dockerfile.Path));
        Assert.That(definition.StringAt("build", "args", "PROJECT"), Is.EqualTo(service.Project));
        Assert.That(definition.StringAt("image"), Is.EqualTo($"tickethub-{service.Name}"), "the name the Kubernetes manifests use");
    }

    [Test]
    public void RabbitMQ_is_version_3_with_its_management_page_and_PostgreSQL_is_version_15()
    {
        Assert.That(Compose.Service("rabbitmq").StringAt("image"), Does.Match(@"^rabbitmq:3(\.\d+)*-management$"));
        Assert.That(Compose.Service("postgres").StringAt("image"), Does.Match(@"^postgres:15(\.\d+)?$"));
    }

    [Test]
    public void Every_service_but_the_collector_has_a_health_check()
    {
        // The collector's image has no shell to run a check in; a service whose collector is away only loses telemetry.
        var without = Compose.Services.Where(service => service.Key != "otel-collector" && service.Value.At("healthcheck", "test") is null).Select(service => service.Key);
        Assert.That(without, Is.Empty);
    }

    [Test]
    public void The_services_health_check_asks_for_readiness_on_the_port_they_listen_on()
    {
        foreach (var service in Deployables.All)
        {
            var test = string.Join(' ', Compose.Service(service.Name).ListAt("healthcheck", "test").OfType<string>());
            Assert.That(test, Does.Contain("/dev/tcp/127.0.0.1/8080").And.Contain("GET /health/ready"), service.Name);
            Assert.That(Compose.Settings(service.Name).GetValueOrDefault("Urls"), Is.EqualTo("http://+:8080"), service.Name);
        }
    }

    [Test]
    public void Every_dependency_names_a_service_and_waits_for_health_only_where_there_is_a_check()
    {
        var problems = new List<string>();
        foreach (var (name, service) in Compose.Services)
        {
            foreach (var (dependency, options) in service.MapAt("depends_on"))
            {
                var condition = options.StringAt("condition");
                if (!Compose.Services.ContainsKey(dependency))
                {
                    problems.Add($"{name} depends on {dependency}, which is not a service");
                }
                else if (condition == "service_healthy" && Compose.Service(dependency).At("healthcheck") is null)
                {
                    problems.Add($"{name} waits for {dependency} to be healthy, which has no health check");
                }
                else if (condition is not ("service_healthy" or "service_started" or "service_completed_successfully"))
                {
                    problems.Add($"{name} depends on {dependency} with condition '{condition}'");
                }
            }
        }

        Assert.That(problems, Is.Empty);
        // The workers wait for their database and broker to answer.
        foreach (var worker in Deployables.All.Where(service => service.Name is not ("gateway" or "portal")))
        {
            Assert.That(Compose.Service(worker.Name).StringAt("depends_on", "postgres", "condition"), Is.EqualTo("service_healthy"), worker.Name);
            Assert.That(Compose.Service(worker.Name).StringAt("depends_on", "rabbitmq", "condition"), Is.EqualTo("service_healthy"), worker.Name);
        }
    }

    [Test]
    public void Every_variable_the_compose_file_reads_is_in_env_example()
    {
        var missing = Scalars(Compose.Document.Value).SelectMany(Compose.References)
            .Where(reference => !reference.Operator.EndsWith('-') && !Compose.ExampleVariables.Value.ContainsKey(reference.Name))
            .Select(reference => reference.Name).Distinct();
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Every_file_the_compose_file_mounts_is_in_the_repository_or_kept_out_of_it()
    {
        var problems = new List<string>();
        foreach (var (name, service) in Compose.Services)
        {
            foreach (var source in service.ListAt("volumes").OfType<string>().Select(volume => volume.Split(':')[0]).Where(source => source.StartsWith('.')))
            {
                if (!Repository.Exists(Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(Repository.PathOf(Compose.Folder), source)))))
                {
                    problems.Add($"{name} mounts {source}, which does not exist");
                }
            }
        }

        // The secrets are the installation's own files, under ./secrets, which git ignores.
        foreach (var (name, secret) in Compose.Document.Value.MapAt("secrets"))
        {
            if (secret.StringAt("file") is not { } file || !file.StartsWith("./secrets/", StringComparison.Ordinal))
            {
                problems.Add($"secret {name} should be a file under ./secrets (ignored by git), not '{secret.StringAt("file")}'");
            }
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void The_services_sign_in_to_the_broker_as_the_users_the_broker_creates()
    {
        // deploy/rabbitmq-users.sh names the users <vhost>-<service>; rabbitmq/start.sh gives it the services' passwords.
        var permissions = Regex.Matches(Repository.Read("deploy/rabbitmq-users.sh"), "^    \"(?<service>[a-z-]+)\\|", RegexOptions.Multiline).Select(match => match.Groups["service"].Value).ToList();
        var started = ForLoopItems(Repository.Read($"{Compose.Folder}/rabbitmq/start.sh"));
        Assert.That(started, Is.EquivalentTo(permissions), "rabbitmq/start.sh passes a password for each user of deploy/rabbitmq-users.sh");
        var vhost = Compose.Service("rabbitmq").StringAt("environment", "TICKETHUB_VHOST");
        foreach (var service in Deployables.All.Where(service => Compose.Settings(service.Name).ContainsKey("RabbitMq:Username")))
        {
            var settings = Compose.Settings(service.Name);
            Assert.That(permissions, Does.Contain(service.Name), $"{service.Name} has a broker user");
            Assert.That(settings["RabbitMq:Username"], Is.EqualTo($"{vhost}-{service.Name}"));
            Assert.That(settings["RabbitMq:VirtualHost"], Is.EqualTo(vhost));
            Assert.That(Kubernetes.Settings(service.Name)["RabbitMq:Username"], Is.EqualTo($"{vhost}-{service.Name}"), "the same user in Kubernetes");
        }
    }

    [Test]
    public void The_databases_the_services_use_are_the_ones_PostgreSQL_creates_with_their_passwords()
    {
        var created = ForLoopItems(Repository.Read($"{Compose.Folder}/postgres/init-databases.sh")).Select(service => $"tickethub_{service}").ToList();
        var postgres = Compose.Service("postgres").StringsAt("environment");
        var used = new List<string>();
        foreach (var service in Deployables.All.Where(service => Compose.Settings(service.Name).ContainsKey("Database:ConnectionString")))
        {
            var raw = Compose.Service(service.Name).StringsAt("environment")["Database__ConnectionString"];
            var database = Regex.Match(raw, "Database=(?<name>[^;]+)").Groups["name"].Value;
            var password = Compose.References(raw).Single().Name;
            used.Add(database);
            Assert.That(raw, Does.Contain("Host=postgres;Port=5432;").And.Contain($"Username={database};"), service.Name);
            Assert.That(Compose.References(postgres.GetValueOrDefault(password) ?? "").Select(reference => reference.Name), Is.EqualTo(new[] { password }), $"the postgres service receives {password}");
            Assert.That(password, Is.EqualTo("DB_PASSWORD_" + database["tickethub_".Length..].ToUpperInvariant()), "init-databases.sh reads DB_PASSWORD_<SERVICE>");
        }

        Assert.That(used, Is.EquivalentTo(created));
    }

    [Test]
    public void The_collector_pipelines_use_only_the_receivers_processors_and_exporters_it_defines()
    {
        var config = Yaml.Load($"{Compose.Folder}/otel-collector.yaml");
        var pipelines = config.MapAt("service", "pipelines");
        Assert.That(pipelines.Keys, Is.SupersetOf(new[] { "traces", "metrics", "logs" }));
        foreach (var (name, pipeline) in pipelines)
        {
            foreach (var part in new[] { "receivers", "processors", "exporters" })
            {
                Assert.That(config.MapAt(part).Keys, Is.SupersetOf(pipeline.ListAt(part).OfType<string>()), $"{name}.{part}");
            }
        }

        Assert.That(config.StringAt("receivers", "otlp", "protocols", "grpc", "endpoint"), Does.EndWith(":4317"), "the services export to otel-collector:4317");
        Assert.That(Compose.Settings("intake")["OTEL_EXPORTER_OTLP_ENDPOINT"], Is.EqualTo("http://otel-collector:4317"));
    }

    /// <summary>Every scalar of the parsed file (comments are not read).</summary>
    private static IEnumerable<string> Scalars(object? node) => node switch
    {
        string text => [text],
        Dictionary<string, object?> map => map.Values.SelectMany(Scalars),
        List<object?> list => list.SelectMany(Scalars),
        _ => [],
    };

    /// <summary>The words of the script's first <c>for service in …; do</c> loop.</summary>
    private static List<string> ForLoopItems(string script) =>
        Regex.Match(script, @"for service in (?<items>[^;]+); do").Groups["items"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
}
