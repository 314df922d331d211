//! Messages of the result pages (paid, failed, processing, expired, cancelled) and of the
//! dead ends (unknown link, refused form, errors): `(key, [Spanish, English, Portuguese])`.

use super::Row;

#[rustfmt::skip]
pub const MESSAGES: &[Row] = &[
    ("back_to_merchant", ["Volver al comercio", "Back to the shop", "Voltar à loja"]),
    ("back_to", ["Volver a {merchant}", "Back to {merchant}", "Voltar para {merchant}"]),
    ("reference", ["Referencia", "Reference", "Referência"]),
    ("nothing_charged", ["No se hizo ningún cargo.", "You have not been charged.",
        "Nenhuma cobrança foi feita."]),
    // Paid.
    ("title_paid", ["Pago realizado", "Payment complete", "Pagamento concluído"]),
    ("paid_title", ["¡Pago realizado!", "Payment complete", "Pagamento concluído!"]),
    ("paid_text", ["Recibimos tu pago de {amount}. ¡Gracias!", "We received your payment of {amount}. Thank you!",
        "Recebemos seu pagamento de {amount}. Obrigado!"]),
    // Failed.
    ("title_failed", ["Pago no completado", "Payment not completed", "Pagamento não concluído"]),
    ("failed_title", ["No pudimos completar el pago", "The payment did not go through",
        "Não foi possível concluir o pagamento"]),
    ("failed_declined", ["Tu banco rechazó la tarjeta.", "Your bank declined the card.",
        "Seu banco recusou o cartão."]),
    ("failed_insufficient", ["La tarjeta no tiene fondos suficientes.", "The card has insufficient funds.",
        "O cartão não tem saldo suficiente."]),
    ("failed_generic", ["El pago fue rechazado.", "The payment was rejected.", "O pagamento foi recusado."]),
    ("try_again", ["Intentar de nuevo", "Try again", "Tentar novamente"]),
    // Processing.
    ("title_processing", ["Confirmando el pago", "Confirming the payment", "Confirmando o pagamento"]),
    ("processing_title", ["Estamos confirmando tu pago", "We are confirming your payment",
        "Estamos confirmando seu pagamento"]),
    ("processing_text", [
        "Puede tardar unos minutos. Esta página se actualiza sola; no pagues de nuevo.",
        "This can take a few minutes. This page refreshes by itself; do not pay again.",
        "Isso pode levar alguns minutos. Esta página se atualiza sozinha; não pague novamente."]),
    ("check_again", ["Actualizar ahora", "Check now", "Atualizar agora"]),
    // Expired and cancelled.
    ("title_expired", ["Enlace vencido", "Link expired", "Link expirado"]),
    ("expired_title", ["Este enlace de pago venció", "This payment link has expired",
        "Este link de pagamento expirou"]),
    ("expired_text", [
        "Ya no se puede pagar aquí. Pide al comercio un enlace nuevo. No se hizo ningún cargo.",
        "It can no longer be paid here. Ask the shop for a new link. You have not been charged.",
        "Não é mais possível pagar aqui. Peça um novo link à loja. Nenhuma cobrança foi feita."]),
    ("title_cancelled", ["Pago cancelado", "Payment cancelled", "Pagamento cancelado"]),
    ("cancelled_title", ["Este pago fue cancelado", "This payment was cancelled",
        "Este pagamento foi cancelado"]),
    ("cancelled_text", ["El comercio canceló este pago. No se hizo ningún cargo.",
        "The shop cancelled this payment. You have not been charged.",
        "A loja cancelou este pagamento. Nenhuma cobrança foi feita."]),
    // Dead ends.
    ("title_not_found", ["No encontrado", "Not found", "Não encontrado"]),
    ("not_found_title", ["No encontramos este pago", "We could not find this payment",
        "Não encontramos este pagamento"]),
    ("not_found_text", ["Revisa que el enlace esté completo o pide uno nuevo al comercio.",
        "Check that the link is complete, or ask the shop for a new one.",
        "Confira se o link está completo ou peça um novo à loja."]),
    ("title_link_closed", ["Enlace no disponible", "Link not available", "Link indisponível"]),
    ("link_closed_title", ["Este enlace de pago no está disponible",
        "This payment link is not available", "Este link de pagamento não está disponível"]),
    ("link_closed_text", ["Puede que haya vencido o que aún no esté activo. Pide uno nuevo al comercio.",
        "It may have expired, or not be active yet. Ask the shop for a new one.",
        "Ele pode ter expirado ou ainda não estar ativo. Peça um novo à loja."]),
    ("title_forbidden", ["Formulario no aceptado", "Form not accepted", "Formulário não aceito"]),
    ("forbidden_title", ["No pudimos verificar el formulario", "We could not verify this form",
        "Não foi possível verificar o formulário"]),
    ("forbidden_text", [
        "El formulario no vino de esta página de pago. Vuelve a la página e inténtalo otra vez.",
        "The form did not come from this payment page. Go back to the page and try again.",
        "O formulário não veio desta página de pagamento. Volte à página e tente novamente."]),
    ("back_to_checkout", ["Volver a la página de pago", "Back to the payment page",
        "Voltar à página de pagamento"]),
    ("title_error", ["Error", "Error", "Erro"]),
    ("bad_request_title", ["No pudimos leer el formulario", "We could not read the form",
        "Não foi possível ler o formulário"]),
    ("bad_request_text", ["Vuelve a la página de pago e inténtalo otra vez.",
        "Go back to the payment page and try again.", "Volte à página de pagamento e tente novamente."]),
    ("error_title", ["Algo salió mal", "Something went wrong", "Algo deu errado"]),
    ("error_text", [
        "No pudimos completar la solicitud. Inténtalo de nuevo en unos minutos; si sigue pasando, indica esta referencia al comercio.",
        "We could not complete the request. Try again in a few minutes; if it keeps happening, give the shop this reference.",
        "Não foi possível concluir a solicitação. Tente novamente em alguns minutos; se continuar, informe esta referência à loja."]),
];
