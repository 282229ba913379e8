using TicketHub.Classifier;
using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Routing;
using TicketHub.Classifier.Suggestions;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddHubAuthentication();
builder.AddApplicationServices();

var app = builder.Build();
app.UseFrenchProblemDetails();
app.UseHubAuthentication();
app.MapCollegesApi();
app.MapCategoriesApi();
app.MapRuleSetApi();
app.MapSuggestionsApi();
app.MapDefaultEndpoints();
app.Run();

public partial class Program;
