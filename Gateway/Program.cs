using Eventd.Gateway.Endpoints;
using Eventd.Gateway.Hosting;

// Settings sit beside the binary, wherever the process is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddEventdGateway();

var app = builder.Build();
app.UseEventdGateway();
app.MapOperations();
app.MapEventdV1();
app.MapPauseAndResume();
app.MapBatchCreate();
app.MapChannels();
app.MapDeliveryPolicy();
app.MapEndpointHealth();
app.MapFlowControl();
app.MapSigning();
app.MapWebhookRegister();
app.MapSpaceCloud();
app.MapKeys();
app.MapEventLog();
app.MapOverview();
app.MapConsole();
app.Run();
