/** A mail as rendered: what every channel (mail, group robots) sends of a notice. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}
