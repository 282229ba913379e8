using TicketHub.Classifier;
using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Routing;
using TicketHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseFrenchProblemDetails();
app.MapCollegesApi();
app.MapCategoriesApi();
app.MapDefaultEndpoints();
app.Run();

public partial class Program;
