namespace TicketHub.Classifier.Tests.Functional;

/// <summary>One classifier for every functional test: started once, seeded from deploy/colleges.csv.</summary>
[SetUpFixture]
public sealed class ClassifierApp
{
    public static ClassifierFactory Factory { get; private set; } = null!;

    /// <summary>Acts as <see cref="TestIdentity.Admin"/>; a request with its own token acts as that user.</summary>
    public static HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public void Start()
    {
        Factory = new ClassifierFactory(RepoFiles.SeedCsv);
        Client = Factory.ClientFor(TestIdentity.Admin);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
